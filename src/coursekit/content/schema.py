"""JSON Schemas for the YAML files, so editors complete and check keys as authors type."""

from __future__ import annotations

import json
from pathlib import Path

from coursekit.content.models import Exercise, Quiz
from coursekit.files import write_atomic

SCHEMAS = {"quiz.schema.json": Quiz, "exercise.schema.json": Exercise}


def schema_text(model) -> str:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(out_dir: Path, extra: dict[str, dict] | None = None) -> dict[Path, bool]:
    """Write the content schemas, and any extra (name -> schema) the caller adds."""
    written = {out_dir / name: write_atomic(out_dir / name, schema_text(model)) for name, model in SCHEMAS.items()}
    for name, schema in (extra or {}).items():
        written[out_dir / name] = write_atomic(out_dir / name, json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return written
