def pytest_configure(config):
    config.addinivalue_line("markers", "hub: runs a real JupyterHub on loopback (tests/hub; needs npm and git)")
