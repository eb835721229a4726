"""The mentor's exceptions: one small hierarchy, each with a message a user can act on.

Library code raises these; only the edges (the CLI, the app) turn them into
fix-it messages. Each carries `hint`, the command or step that fixes it.
"""


class MentorError(Exception):
    """Base class: something the user can fix, with a hint saying how."""

    hint: str = ""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class ConfigError(MentorError):
    """A setting (environment variable or argument) has a value that cannot work."""

    hint = "Check the MENTOR_* environment variables (see README, 'Configuration')."


class ModelError(MentorError):
    """The embedding model is missing, unreadable or cannot be prepared."""

    hint = "Run `mentor setup` to prepare the embedding model."


class CorpusError(MentorError):
    """A corpus file cannot be read: bad encoding, binary, empty or malformed front matter."""

    hint = "Fix or remove the file named above, then run `mentor index`."


class IndexMissingError(MentorError):
    """No index has been built yet at the configured location."""

    hint = "Run `mentor index` to build it."


class IndexCorruptError(MentorError):
    """The index exists but cannot be read."""

    hint = "Run `mentor index --rebuild` to build it again from the corpus."


class IndexUnavailableError(MentorError):
    """The index exists but cannot be reached now: a server that does not answer, a permission, a lock,
    a full disk. Nothing was changed; it is not rebuilt."""

    hint = "Check that the folder is readable and writable (or the server is running), then try again."


class IndexBusyError(MentorError):
    """Another index run (on this machine or, with a Chroma server, on any host) holds the index lock."""

    hint = "Wait for it to finish (`mentor index --wait 600` waits up to ten minutes), then run `mentor index` again."


class DiskFullError(IndexUnavailableError):
    """The disk (or the file size limit) ran out while the index was written; the previous index stays current."""

    hint = ("Free space where MENTOR_HOME lives (or point MENTOR_HOME at a bigger disk, or check the disk), then run "
            "`mentor index` again.")


class ModelMismatchError(MentorError):
    """The index was built with another embedding model than the one configured."""

    hint = "Run `mentor index --rebuild` to re-embed the corpus with the configured model."


class QueryError(MentorError):
    """The question cannot be searched as given (empty, or unusable)."""

    hint = 'Ask a question in words, e.g. "What should I learn after Python?"'


class EvalError(MentorError):
    """The eval cases file is missing or malformed."""

    hint = "Check the file against the schema in evals/README.md."


class BackendError(MentorError):
    """An optional LLM backend cannot be used: its package, its model file or its server is missing."""

    hint = "Leave out --backend to use the embedded answerer, or see README 'LLM backends'."


class ProfileError(MentorError):
    """The learner's profile cannot be read or changed as asked: a damaged database, an unknown learner or
    item, a malformed import file."""

    hint = "Run `mentor profile` to see the profile, or `mentor profile --help`."
