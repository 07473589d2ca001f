from pathlib import Path

import yaml

from cx_warehouse.benchmark.baseline import duckdb_settings
from cx_warehouse.generator.landing import RENDERING_MEMORY_LIMIT
from cx_warehouse.settings import PROJECT_ROOT, load_settings
from cx_warehouse.warehouse import connect


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


def test_duckdb_spills_beside_the_build_database_unless_told_otherwise(tmp_path: Path):
    settings = load_settings({"CX_WAREHOUSE_DB": str(tmp_path / "w.duckdb")})
    assert settings.duckdb_config() == {
        "memory_limit": "5GB",
        "temp_directory": str(tmp_path / "w.duckdb.tmp"),
    }
    # left empty for dbt, whose profile derives it from CX_WAREHOUSE_DB in the same way
    assert settings.as_environ()["CX_DUCKDB_TEMP_DIR"] == ""
    elsewhere = load_settings({"CX_DUCKDB_TEMP_DIR": "spill", "CX_DUCKDB_MEMORY_LIMIT": "2GB"})
    assert elsewhere.duckdb_config() == {
        "memory_limit": "2GB",
        "temp_directory": str(PROJECT_ROOT / "spill"),
    }


def test_python_and_dbt_connections_get_the_same_duckdb_settings(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CX_WAREHOUSE_DB", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("CX_DUCKDB_MEMORY_LIMIT", "1GB")
    settings = load_settings()
    with connect(settings.warehouse_db) as conn:
        limit, spill = conn.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    assert (limit, spill) == ("953.6 MiB", str(tmp_path / "w.duckdb.tmp"))
    (profile,) = yaml.safe_load((PROJECT_ROOT / "profiles.yml").read_text()).values()
    for target in profile["outputs"].values():
        options = target["config_options"]
        assert set(options) == set(settings.duckdb_config())
        assert "CX_DUCKDB_MEMORY_LIMIT" in options["memory_limit"]
        assert "CX_DUCKDB_TEMP_DIR" in options["temp_directory"]
    session = duckdb_settings(settings.dbt_target)
    assert session["asof_loop_join_threshold"] == 0
    assert session["disabled_optimizers"] == "build_side_probe_side"


def test_a_connection_spills_before_the_build_database_exists(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CX_WAREHOUSE_DB", str(tmp_path / "not_yet" / "w.duckdb"))
    monkeypatch.setenv("CX_DUCKDB_MEMORY_LIMIT", "64MB")
    with connect() as conn:
        conn.execute("SET threads = 1")
        sorted_rows = conn.execute(
            "SELECT count(*) FROM (SELECT md5(range::VARCHAR) AS h FROM range(3000000) ORDER BY h)"
        ).fetchone()[0]
    assert sorted_rows == 3_000_000


def test_the_generator_leaves_memory_for_its_simulated_world(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CX_WAREHOUSE_DB", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("CX_DUCKDB_MEMORY_LIMIT", "5GB")
    with connect(memory_limit=RENDERING_MEMORY_LIMIT) as conn:
        limit, spill = conn.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    assert (limit, spill) == ("1.8 GiB", str(tmp_path / "w.duckdb.tmp"))
