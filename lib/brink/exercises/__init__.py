"""Exercises with feedback and saved answers, and the coursework workflow (assign, submit, grade).

The logic lives in plain functions (``checking``, ``store``, ``grading``); the widgets
in ``widgets`` only wire them up.
"""
from .checking import Result, check
from .store import AnswerStore, StoreError, answers_dir
from .widgets import Exercise, QuestionView

__all__ = ["AnswerStore", "Exercise", "QuestionView", "Result", "StoreError", "answers_dir", "check"]
