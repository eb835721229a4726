"""Query steering (rag.index.steering): the ridge map moves questions towards their answers; identity without pairs."""

import numpy as np

from rag.index.steering import fit_steering, steer


def _unit(rows):
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_steering_moves_questions_towards_their_answers_and_away_from_others():
    rng = np.random.default_rng(0)
    answers = _unit(rng.normal(size=(40, 16)))
    questions = _unit(answers + rng.normal(scale=1.2, size=answers.shape))  # each a noisy view of its answer
    matrix = fit_steering(questions, answers)
    steered = np.stack([steer(q, matrix) for q in questions])
    before, after = (questions * answers).sum(1), (steered * answers).sum(1)
    assert after.mean() > before.mean() + 0.1
    rank_before = (np.argmax(questions @ answers.T, axis=1) == np.arange(40)).mean()
    rank_after = (np.argmax(steered @ answers.T, axis=1) == np.arange(40)).mean()
    assert rank_after > rank_before


def test_a_strong_ridge_or_no_pairs_leaves_questions_where_they_are():
    rng = np.random.default_rng(1)
    questions, answers = _unit(rng.normal(size=(5, 8))), _unit(rng.normal(size=(5, 8)))
    assert np.allclose(fit_steering(questions, answers, ridge=1e9), np.eye(8), atol=1e-6)
    assert np.array_equal(fit_steering(np.zeros((0, 8)), np.zeros((0, 8))), np.eye(8, dtype="float32"))
    assert abs(np.linalg.norm(steer(questions[0] * 3, np.eye(8))) - 1) < 1e-6
