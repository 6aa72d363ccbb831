"""The ``kg`` command: parse the arguments (:mod:`kg.cli_parser`), call one library function, print what it returns.

Problems the user can fix arrive as :class:`kg.errors.KgError`; they become exactly one line
on stderr (``kg: error: ...``) and the error's exit code (2), never a traceback. Heavy
libraries (spaCy, jieba, pyvis, pyshacl) are imported inside the commands that need them,
so ``kg query`` and ``kg stats`` start fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kg.cli_parser import parser
from kg.errors import KgError, UsageError

EXIT_NONCONFORMING = 1
EXIT_SOME_FAILED = 1     # kg build: some documents were left out, the others built
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141   # 128 + SIGPIPE, what a shell reports for a killed pipeline member


def main(argv: list[str] | None = None) -> int:
    """Run ``kg`` with ``argv`` (default ``sys.argv[1:]``) and return the exit code."""
    try:
        try:
            args = parser(COMMANDS).parse_args(argv)
        except SystemExit as e:         # --help and --version exit through argparse
            return e.code if isinstance(e.code, int) else 0
        code = args.run(args)
        sys.stdout.flush()              # a closed pipe shows up here, inside the handler
        return code
    except KgError as e:
        _error(str(e))
        return e.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``kg query ... | head``): stop quietly, and point stdout at
        # /dev/null so the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as e:
        # Library code should raise KgError; an OSError that slips through is still the
        # user's file system talking, so report it the same way.
        where = f"{e.filename}: " if e.filename else ""
        _error(f"{where}{e.strerror or e}")
        return KgError.exit_code


def cmd_build(args: argparse.Namespace) -> int:
    """``kg build``: extract INPUTs into one graph file (and an HTML page), or into a store with --store."""
    if args.store:
        return cmd_build_store(args)
    if args.cluster or args.endpoint:
        raise UsageError(f"{'--cluster' if args.cluster else '--endpoint'} goes with --store DIR")
    if not args.out:
        raise UsageError("give --out FILE (one graph file) or --store DIR (a corpus store)")
    from kg.atomic import check_writable, same_output
    from kg.graph.io import format_for, write_graph
    from kg.textio import input_files

    inputs = input_files(args.inputs)
    check_writable(args.out, inputs)            # fail now, not after minutes of extraction
    fmt = format_for(args.out, args.format)
    if args.html:
        if same_output(args.html, args.out):
            raise UsageError("--out and --html must be different files")
        check_writable(args.html, inputs)
    _check_report(args)
    from kg.build import build_graph
    from kg.corpus.report import BuildFacts

    facts = BuildFacts()
    notices: list = []
    graph = build_graph(args.inputs, models=args.model, report=facts, notices=notices)
    write_graph(graph, args.out, fmt)
    written = [args.out]
    if args.html:
        from kg.explore.render import render_html
        render_html(graph, args.html, title=args.title or _title(args.inputs), include_text=not args.no_text)
        written.append(args.html)
    _info(f"{_summary(graph)} -> {', '.join(written)}")
    _facts_report(facts, args.report)
    return _report(notices)


def _check_report(args: argparse.Namespace) -> None:
    if args.report:
        from kg.atomic import check_writable

        for other in (args.out, args.html):
            if other and Path(other).resolve() == Path(args.report).resolve():
                raise UsageError("--report must be a file of its own")
        check_writable(args.report)


def _facts_report(facts, report_path: str | None) -> None:
    """Warn about documents that gave no fact; write the whole report with --report."""
    warning = facts.warning()
    if warning:
        _warn(warning)
    if report_path:
        facts.write(report_path)
        _info(f"build report ({len(facts.documents)} documents) -> {report_path}")


def cmd_build_store(args: argparse.Namespace) -> int:
    """``kg build --store``: extract new or changed INPUTs into a corpus store."""
    from kg.corpus.ingest import build_store

    if args.out or args.html:
        raise UsageError("--store builds a corpus store; write files from it with 'kg export'")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: give a positive number")
    if args.cluster is not None:
        from kg.corpus.cluster import parse_cluster

        if args.jobs is not None:
            raise UsageError("give --jobs N (local processes) or --cluster (Dask workers), not both")
        parse_cluster(args.cluster)
    _check_report(args)
    notices: list = []
    if args.endpoint:
        from kg.corpus.remote import check_url
        check_url(args.endpoint)
    report = build_store(args.inputs, args.store, jobs=args.jobs, notices=notices, cluster=args.cluster)
    _info(f"{report.summary()} -> {args.store}")
    _facts_report(report.facts, args.report)
    code = _report(notices)
    if args.endpoint:
        from kg.corpus.push import push_store
        _info(push_store(args.store, args.endpoint).summary(args.endpoint))
    return code


def cmd_push(args: argparse.Namespace) -> int:
    """``kg push``: copy a store's graphs into a SPARQL server over the Graph Store Protocol."""
    from kg.corpus.push import push_store
    from kg.corpus.store import CorpusStore

    CorpusStore.check_exists(args.store)
    _info(push_store(args.store, args.endpoint).summary(args.endpoint))
    return 0


def _report(notices) -> int:
    """One warning line per document left out or read with a caveat; exit status 1 if any was left out."""
    for n in notices:
        _warn(f"{n.path}: {'skipped: ' if n.skipped else ''}{n.message}")
    skipped = sum(n.skipped for n in notices)
    if skipped:
        _warn(f"{skipped} document{'s' if skipped != 1 else ''} left out (see above); the others were built")
    return EXIT_SOME_FAILED if skipped else 0


def cmd_query(args: argparse.Namespace) -> int:
    """``kg query``: run SPARQL on a graph file or a store and print the result."""
    from kg.graph.io import load_graph
    from kg.graph.query import format_result, run_query

    if args.store and args.endpoint:
        raise UsageError("give --store DIR or --endpoint URL, not both")
    if args.store or args.endpoint:      # no GRAPH file: the first positional argument is the query
        if args.sparql is not None:
            raise UsageError(f"with {'--store' if args.store else '--endpoint'}, give no GRAPH file")
        args.sparql, args.graph = args.graph, None
    elif args.graph is None:
        raise UsageError("give a GRAPH file, --store DIR or --endpoint URL")
    if (args.sparql is None) == (args.file is None):
        raise UsageError("give the query either as an argument or with --file, not both")
    sparql = args.sparql if args.sparql is not None else _read_query(args.file)
    if args.bom and args.format != "csv":
        raise UsageError("--bom goes with --format csv")
    if args.timeout is not None and not args.timeout > 0:
        raise UsageError(f"--timeout {args.timeout:g}: give a positive number of seconds")
    if args.endpoint:
        from kg.corpus.push import query_endpoint
        result = query_endpoint(args.endpoint, sparql, allow_service=args.allow_service, timeout=args.timeout)
    elif args.store:
        from kg.corpus.sparql import query_store
        result = query_store(args.store, sparql, allow_service=args.allow_service, timeout=args.timeout)
    else:
        _suggest_store(args.graph)
        result = run_query(load_graph(args.graph), sparql, allow_service=args.allow_service,
                           timeout=args.timeout)
    text = format_result(result, args.format)
    # Excel reads a CSV file as the system code page unless it starts with a BOM; machine readers (csv,
    # pandas, other SPARQL tools) expect none, so the BOM is asked for, not the default.
    sys.stdout.write("\ufeff" + text if args.bom else text)
    return 0


SUGGEST_STORE_BYTES = 5 * 1024 * 1024     # past this, a graph file takes seconds to load; a store answers at once


def _suggest_store(graph: str) -> None:
    try:
        size = os.path.getsize(graph)
    except OSError:
        return                              # load_graph reports it
    if size > SUGGEST_STORE_BYTES:
        _info(f"note: {graph} is {size / 1024 / 1024:.1f} MB; every query parses it again. For faster answers "
              f"build a store once (kg build INPUT... --store DIR) and query it (kg query --store DIR ...)")


def cmd_render(args: argparse.Namespace) -> int:
    """``kg render``: write a graph file or a store as the offline HTML explorer."""
    from kg.atomic import check_writable

    if (args.graph is None) == (args.store is None):
        raise UsageError("give a GRAPH file or --store DIR")
    check_writable(args.out, [args.graph or args.store])
    options = {"title": args.title or _title([args.graph or args.store]), "focus": args.focus, "depth": args.depth,
               "top": args.top, "color_by": args.color_by, "include_text": not args.no_text}
    if args.store:
        from kg.corpus.export import render_store
        info = render_store(args.store, args.out, **options)
    else:
        from kg.explore.render import render_html
        from kg.graph.io import load_graph
        info = render_html(load_graph(args.graph), args.out, sources=Path(args.graph).parent, **options)
    _info(f"wrote {args.out} ({info['nodes']} nodes, {info['edges']} edges of {info['total_nodes']} and "
          f"{info['total_edges']}; the text of {info['texts']} of {info['documents']} documents)")
    if not args.no_text and info["texts"] < info["documents"]:
        _info(f"note: {info['documents'] - info['texts']} documents show their sentences only: their source files "
              "were not found or have changed since the build")
    return 0


def cmd_path(args: argparse.Namespace) -> int:
    """``kg path``: print how two entities are connected, hop by hop, with evidence."""
    from kg.explore.paths import format_path, path
    from kg.graph.io import load_graph

    hops = path(load_graph(args.graph), args.source, args.target)
    _print(hops, args.json, format_path)
    return 0


def cmd_neighbors(args: argparse.Namespace) -> int:
    """``kg neighbors``: print the entities within --depth hops of one entity."""
    from kg.explore.paths import format_neighbors, neighbors
    from kg.graph.io import load_graph

    _print(neighbors(load_graph(args.graph), args.entity, args.depth), args.json, format_neighbors)
    return 0


def _print(data, as_json: bool, fmt) -> None:
    import json
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n" if as_json else fmt(data))


def cmd_stats(args: argparse.Namespace) -> int:
    """``kg stats``: print counts per class and relation and the top entities, of a file or a store."""
    from kg.explore.stats import format_stats, stats
    from kg.graph.io import load_graph

    if (args.graph is None) == (args.store is None):
        raise UsageError("give a GRAPH file or --store DIR")
    if args.store:
        from kg.corpus.export import store_stats
        d = store_stats(args.store)
    else:
        d = stats(load_graph(args.graph))
    if args.json:
        import json
        sys.stdout.write(json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_stats(d))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """``kg validate``: check a graph against the SHACL shapes; exit 1 if it does not conform."""
    from kg.graph.io import load_graph
    from kg.graph.validate import validate

    conforms, report = validate(load_graph(args.graph))
    if conforms:
        sys.stdout.write(f"{args.graph}: conforms\n")
        return 0
    sys.stdout.write(f"{args.graph}: {report}")
    return EXIT_NONCONFORMING


def cmd_eval(args: argparse.Namespace) -> int:
    """``kg eval``: score extraction against gold files and print the report."""
    import json

    from kg.evaluate import evaluate, format_report

    report = evaluate(args.gold, verbose=args.verbose)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(format_report(report, verbose=args.verbose))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """``kg remove``: drop one document, and what only it said, from a store."""
    from kg.corpus.ingest import remove_document

    _info(f"removed {remove_document(args.store, args.document)} from {args.store}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``kg export``: write a graph file or a store as RDF, a network for Gephi, a facts table or FollowTheMoney."""
    from kg.corpus.export import export_graph, export_store

    if (args.graph is None) == (args.store is None):
        raise UsageError("give a GRAPH file or --store DIR")
    counts = export_store(args.store, args.out) if args.store else export_graph(args.graph, args.out)
    _info(f"wrote {args.out} ({', '.join(f'{v} {k}' for k, v in counts.items())})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``kg serve``: serve a store as a SPARQL endpoint until interrupted."""
    from kg.corpus.serve import serve

    serve(args.store, host=args.host, port=args.port, workers=args.workers, timeout=args.timeout,
          max_bytes=args.max_bytes, allow_update=args.allow_update, allow_service=args.allow_service,
          max_connections=args.max_connections, idle_timeout=args.idle_timeout,
          ready=lambda url: _info(f"serving {args.store} at {url} (query page {url.removesuffix('sparql')}; "
                                  "Ctrl-C stops)"))
    return 0


# each command of kg.cli_parser and the function that runs it
COMMANDS = {
    "build": cmd_build,
    "query": cmd_query,
    "render": cmd_render,
    "path": cmd_path,
    "neighbors": cmd_neighbors,
    "stats": cmd_stats,
    "validate": cmd_validate,
    "eval": cmd_eval,
    "remove": cmd_remove,
    "export": cmd_export,
    "push": cmd_push,
    "serve": cmd_serve,
}


def _read_query(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    from kg.textio import read_document
    return read_document(path).text


def _summary(graph) -> str:
    from kg.corpus.report import graph_summary

    return graph_summary(graph)


def _title(inputs: list[str]) -> str:
    names = [Path(i).name or str(i) for i in inputs]
    return "kg: " + ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")


def _info(message: str) -> None:
    print(f"kg: {message}", file=sys.stderr)


def _warn(message: str) -> None:
    print("kg: warning: " + " ".join(message.split()), file=sys.stderr)


def _error(message: str) -> None:
    # One line, whatever the message holds: scripts and tests read stderr line by line.
    print("kg: error: " + " ".join(message.split()), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
