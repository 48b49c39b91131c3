import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_embedding_snippet_in_readme_runs():
    section = README.read_text().split("## Embedding the core", 1)[1]
    snippet = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(snippet, "README.md#embedding", "exec"), {})


def test_readme_starts_with_the_two_commands():
    head = README.read_text()[:1500]
    assert "make run" in head and "make test" in head
