"""Query steering: a linear map, learned at index time, that moves a learner's question towards the passages
that answer questions like it.

e5 puts a question closer to other questions than to the passage that answers it. The sections' questions
(corpus/guides/<id>.questions.yaml) are pairs of a question and the chunk holding its answer; ridge regression
from the questions' vectors to their chunks' vectors, pulled towards the identity, gives a matrix M that
steers a new question q to q·M (made unit length again). The dense ranking by the steered vector is one more
ranking in fusion (rag.answer.retrieval); cosines that thresholds read stay plain. Closed form, no training loop,
the same matrix from the same vectors; RIDGE was chosen on the dev split (1, 2 and 5 within noise of each other).
"""

from __future__ import annotations

from typing import Any

RIDGE = 2.0  # the pull towards the identity: larger steers less


def fit_steering(questions: Any, answers: Any, ridge: float = RIDGE) -> Any:
    """The matrix M minimising |questions·M − answers|² + ridge·|M − I|² (one row per pair; float32). With no
    pairs it is the identity.

    >>> import numpy as np
    >>> fit_steering(np.zeros((0, 2)), np.zeros((0, 2))).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    import numpy as np

    questions, answers = np.asarray(questions, "float64"), np.asarray(answers, "float64")
    identity = np.eye(questions.shape[1])
    matrix = np.linalg.solve(questions.T @ questions + ridge * identity, questions.T @ answers + ridge * identity)
    return matrix.astype("float32")


def steer(vector: Any, matrix: Any) -> Any:
    """`vector` steered by `matrix`, unit length (float32).

    >>> import numpy as np
    >>> steer(np.array([3.0, 4.0]), np.eye(2)).tolist()
    [0.6000000238418579, 0.800000011920929]
    """
    import numpy as np

    steered = np.asarray(vector, "float32") @ matrix
    return (steered / np.linalg.norm(steered)).astype("float32")
