from pathlib import Path

from cx_warehouse.settings import PROJECT_ROOT, load_settings


def test_relative_paths_resolve_against_the_project_root():
    settings = load_settings({"CX_WAREHOUSE_DB": "some/where.duckdb"})
    assert settings.warehouse_db == PROJECT_ROOT / "some" / "where.duckdb"
    assert settings.landing_dir == PROJECT_ROOT / "data" / "landing"
    assert settings.dagster_home == PROJECT_ROOT / ".dagster_home"


def test_absolute_paths_are_kept_and_exported_for_dbt(tmp_path: Path):
    settings = load_settings({"CX_WAREHOUSE_DB": str(tmp_path / "w.duckdb")})
    environ = settings.as_environ()
    assert environ["CX_WAREHOUSE_DB"] == str(tmp_path / "w.duckdb")
    assert environ["DBT_PROFILES_DIR"] == str(PROJECT_ROOT)
    assert all(
        Path(environ[key]).is_absolute()
        for key in ("CX_LANDING_DIR", "CX_PUBLICATION_DIR", "CX_REPORTS_DIR", "DAGSTER_HOME")
    )


def test_env_example_documents_every_setting():
    documented = (PROJECT_ROOT / ".env.example").read_text()
    for key in load_settings({}).as_environ():
        if key != "DBT_PROFILES_DIR":
            assert key in documented, f"{key} is missing from .env.example"
