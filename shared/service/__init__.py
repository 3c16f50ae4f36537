"""The service shell: app factory, dependency supervision and the process runner."""

from shared.service.app import create_app
from shared.service.problems import Problem, ProblemError, problem_response
from shared.service.resources import resources_for
from shared.service.runner import run
from shared.service.supervisor import Supervisor

__all__ = [
    "Problem",
    "ProblemError",
    "Supervisor",
    "create_app",
    "problem_response",
    "resources_for",
    "run",
]
