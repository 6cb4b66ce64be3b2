"""Exercises with feedback and saved answers, and the coursework workflow (assign, submit, grade).

The logic lives in plain functions and in one class per question kind (``kinds``); the
widgets in ``widgets`` only wire them up.
"""
from .checking import Result, check
from .store import AnswerStore, StoreError, answers_dir
from .widgets import Exercise, QuestionView


def submit(name: str, **options):
    """Hand in from a notebook cell: write the submission file and say what it holds.

    Args:
        name: your name as your instructor knows it.
        options: ``student_id``, ``email``, ``answers_folder``, ``out`` (see ``submission.submit``).

    Returns:
        None: what a cell shows is the printed lines (where the file is, what it holds, or why it was
        not written), not a path object; ``brink.exercises.submission.submit`` returns the path.
    """
    from .errors import CourseworkError
    from .submission import describe_submission, read_submission
    from .submission import submit as _submit
    problems: list[str] = []
    try:
        path = _submit(name, problems=problems, **options)
    except CourseworkError as e:
        print(f"⚠ Not handed in: {e}")
        return None
    for p in problems:
        print(f"⚠ Left out: {p}")
    print(describe_submission(path, read_submission(path)["answers"]))
    print(f"Hand in the file {path.name} (it is in {path.parent}).")
    return None


__all__ = ["AnswerStore", "Exercise", "QuestionView", "Result", "StoreError", "answers_dir", "check", "submit"]
