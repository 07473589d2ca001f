"""Command line of cx-warehouse: `cx-warehouse <command> --help` for each command."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from cx_warehouse.settings import PROJECT_ROOT, load_settings

CONTRACT_DOC = PROJECT_ROOT / "docs" / "landing_contract.md"


def _generate(args: argparse.Namespace) -> int:
    from cx_warehouse.generator.config import scale_config
    from cx_warehouse.generator.landing import generate

    settings = load_settings()
    config = scale_config(
        args.scale,
        end=args.end,
        customers=args.customers,
        days=args.days,
        seed=args.seed,
        mess_rate=args.mess_rate,
        delta_days=args.delta_days,
        write_from=args.write_from,
        write_to=args.write_to,
    )
    print(
        f"generating {config.customers:,} customers, {config.start} .. {config.end} "
        f"(writing {config.first_written} .. {config.last_written}) into {settings.landing_dir}"
    )
    summary = generate(
        config, settings.landing_dir, settings.ground_truth_dir, replace=args.write_from is None
    )
    for name, rows in summary.rows.items():
        broken = sum(summary.corrupted.get(name, {}).values())
        print(f"  {name:24} {rows:>12,} rows ({broken:,} deliberately invalid)")
    print(f"{summary.files:,} files; ground truth in {settings.ground_truth_dir}")
    return 0


def _nightly(args: argparse.Namespace) -> int:
    from cx_warehouse.runner import run_nightly

    return run_nightly(first=args.first, last=args.last)


def _dev(args: argparse.Namespace) -> int:
    import os

    from cx_warehouse.instance import prepare_dagster_home

    settings = load_settings()
    settings.export_to_environ()
    prepare_dagster_home(settings)
    os.chdir(PROJECT_ROOT)
    dagster = str(Path(sys.executable).parent / "dagster")
    os.execv(dagster, [dagster, "dev", *args.extra])


def _publications(args: argparse.Namespace) -> int:
    from cx_warehouse.publication.store import PublicationStore

    store = PublicationStore(load_settings().publication_dir)
    current = store.current_version()
    for version in store.list_versions():
        manifest = store.manifest(version)
        marker = "*" if version == current else " "
        print(
            f"{marker} {version}  as of {manifest.get('as_of_date')}  "
            f"run {manifest.get('dagster_run_id', '')[:8]}  {len(manifest['marts'])} marts"
        )
    if current is None:
        print("nothing published yet")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from cx_warehouse.publication.store import PublicationError, PublicationStore

    store = PublicationStore(load_settings().publication_dir)
    versions = store.list_versions()
    current = store.current_version()
    if args.to:
        target = args.to
    else:
        earlier = [v for v in versions if current is None or v < current]
        if not earlier:
            print("no earlier publication to roll back to", file=sys.stderr)
            return 1
        target = earlier[-1]
    try:
        store.switch(target)
    except PublicationError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"current publication: {target} (was {current})")
    return 0


def _reports(args: argparse.Namespace) -> int:
    from cx_warehouse.defs.reports import REPORT_PAGES
    from cx_warehouse.reports.site import NothingPublishedError, render_site

    settings = load_settings()
    out_dir = args.out or settings.reports_dir
    try:
        site = render_site(settings.publication_dir, REPORT_PAGES, out_dir)
    except NothingPublishedError as error:
        print(error, file=sys.stderr)
        return 1
    for error in site.errors:
        print(f"ERROR {error}", file=sys.stderr)
    print(f"rendered {len(site.written)} pages from publication {site.publication.version}")
    print(f"open {site.index}")
    return 1 if site.errors else 0


def _benchmark(args: argparse.Namespace) -> int:
    from cx_warehouse.benchmark.harness import run_benchmark

    return run_benchmark(
        args.scale,
        customers=args.customers,
        days=args.days,
        results_file=args.results,
        work_dir=args.work_dir,
    )


def _contracts_doc(args: argparse.Namespace) -> int:
    from cx_warehouse.contracts.docs import contract_markdown

    CONTRACT_DOC.parent.mkdir(parents=True, exist_ok=True)
    CONTRACT_DOC.write_text(contract_markdown())
    print(f"wrote {CONTRACT_DOC}")
    return 0


def _date(text: str) -> date:
    return date.fromisoformat(text)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="cx-warehouse", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write generated extracts to the landing zone")
    generate.add_argument("--scale", choices=["small", "demo", "large"], default="demo")
    generate.add_argument("--customers", type=int, help="an explicit customer count")
    generate.add_argument("--days", type=int, help="days of history (default: the scale's)")
    generate.add_argument("--end", type=_date, help="last extract date (default: yesterday)")
    generate.add_argument("--seed", type=int, default=7)
    generate.add_argument(
        "--mess-rate",
        type=float,
        default=0.01,
        help="share of records that arrive late, twice or broken",
    )
    generate.add_argument(
        "--delta-days",
        type=int,
        default=30,
        help="days that arrive as daily extracts; earlier days arrive as one initial full export",
    )
    generate.add_argument(
        "--write-from",
        type=_date,
        help="only write extracts from this date on (keeps existing files)",
    )
    generate.add_argument("--write-to", type=_date, help="only write extracts up to this date")
    generate.set_defaults(run=_generate)

    nightly = commands.add_parser("nightly", help="run the nightly build headless")
    nightly.add_argument(
        "--first",
        type=_date,
        help="first extract date to ingest (default: the first not yet ingested)",
    )
    nightly.add_argument(
        "--last",
        type=_date,
        help="last extract date to ingest (default: the newest in the landing zone)",
    )
    nightly.set_defaults(run=_nightly)

    dev = commands.add_parser(
        "dev",
        help="start `dagster dev` with the project's Dagster home "
        "(further arguments go to dagster dev, e.g. -p 3001)",
    )
    dev.set_defaults(run=_dev)

    listing = commands.add_parser("publications", help="list the published versions (* current)")
    listing.set_defaults(run=_publications)

    rollback = commands.add_parser("rollback", help="make an earlier publication current again")
    rollback.add_argument("--to", help="the version (default: the one before the current)")
    rollback.set_defaults(run=_rollback)

    reports = commands.add_parser(
        "reports", help="render the HTML reports from the current publication"
    )
    reports.add_argument("--out", type=Path, help="output folder (default: CX_REPORTS_DIR)")
    reports.set_defaults(run=_reports)

    benchmark = commands.add_parser(
        "benchmark",
        help="time generation, the nightly build by stage, the same SQL on DuckDB alone and an "
        "incremental night; append the results to docs/benchmarks.md",
    )
    benchmark.add_argument("--scale", choices=["small", "demo", "large"], default="small")
    benchmark.add_argument("--customers", type=int, help="an explicit customer count")
    benchmark.add_argument("--days", type=int, help="days of history (default: the scale's)")
    benchmark.add_argument(
        "--results", type=Path, help="Markdown file to append to (default: docs/benchmarks.md)"
    )
    benchmark.add_argument(
        "--work-dir",
        type=Path,
        help="an empty directory for the run's data (default: data/benchmark/<scale>, "
        "emptied first)",
    )
    benchmark.set_defaults(run=_benchmark)

    doc = commands.add_parser(
        "contracts-doc", help=f"render {CONTRACT_DOC.relative_to(PROJECT_ROOT)}"
    )
    doc.set_defaults(run=_contracts_doc)
    return main


def main(argv: list[str] | None = None) -> int:
    main_parser = parser()
    args, extra = main_parser.parse_known_args(argv)
    if extra and args.command != "dev":
        main_parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
