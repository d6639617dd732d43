"""How much faster the compiled SHACL validator is than pyshacl, per focus node.

Why a ratio: the machine varies, the comparison does not. The data are synthetic but shaped
like an organisations source: every node is an organisation with a name, registration
number, country (a concept typed in another named graph), kind, foundation year and, for
half of them, a website; about 1% of the nodes break one constraint each. The compiled
validator runs on an on-disk Oxigraph store holding all nodes; pyshacl (inference none) on
the first ``--baseline`` nodes in an rdflib graph, because all of them would take too long.

    PYTHONPATH=. python benchmarks/bench_shacl.py            # 200k nodes, ~1.3M triples
    PYTHONPATH=. python benchmarks/bench_shacl.py --nodes 20000 --baseline 2000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time

import pyoxigraph as ox
import pyshacl
import rdflib

from ingest.shacl import CompiledShapes

EX = "https://example.org/bench/"
DATA = f"{EX}graph/orgs"
VOCAB = f"{EX}graph/vocab"
COUNTRIES = ["RO", "HU", "BG", "MD", "DE", "FR", "IT", "PL"]
KINDS = ["University", "ResearchInstitute", "SME", "LargeCompany", "NGO"]

SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <{EX}> .

ex:OrganisationShape a sh:NodeShape ;
    sh:targetClass ex:Organisation ;
    sh:nodeKind sh:IRI ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
                  sh:minLength 2 ; sh:maxLength 200 ] ;
    sh:property [ sh:path ex:regNo ; sh:minCount 1 ; sh:maxCount 1 ; sh:pattern "^RO[0-9]{{6,8}}$" ] ;
    sh:property [ sh:path ex:country ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ;
                  sh:class ex:Country ] ;
    sh:property [ sh:path ex:kind ; sh:maxCount 1 ;
                  sh:in ({" ".join(f"ex:{k}" for k in KINDS)}) ] ;
    sh:property [ sh:path ex:founded ; sh:maxCount 1 ; sh:datatype xsd:integer ;
                  sh:minInclusive 1800 ; sh:maxInclusive 2030 ] ;
    sh:property [ sh:path ex:website ; sh:nodeKind sh:IRI ] .
"""


def nquads(first: int, count: int, seed: int = 7) -> tuple[str, int]:
    """N-Quads of organisations ``first .. first+count-1`` and how many were made invalid."""
    rng = random.Random(seed + first)
    lines, broken = [], 0
    g = f"<{DATA}>"
    for i in range(first, first + count):
        s = f"<{EX}org/{i}>"
        name, reg, country, founded = (
            f'"Organisation {i}"',
            f'"RO{i:07d}"',
            f"<{EX}{COUNTRIES[i % 8]}>",
            str(1900 + i % 120),
        )
        fault = rng.randrange(6) if rng.random() < 0.01 else -1  # 5: no name
        broken += fault >= 0
        if fault == 0:
            name = '"X"'
        elif fault == 1:
            reg = '"RO12"'
        elif fault == 2:
            country = f"<{EX}Atlantis>"
        elif fault == 3:
            founded = "1700"
        elif fault == 4:
            founded = '"about 1990"'
        lines.append(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Organisation> {g} .")
        if fault != 5:
            lines.append(f"{s} <{EX}name> {name} {g} .")
        lines.append(f"{s} <{EX}regNo> {reg} {g} .")
        lines.append(f"{s} <{EX}country> {country} {g} .")
        lines.append(f"{s} <{EX}kind> <{EX}{KINDS[i % 5]}> {g} .")
        if i % 2:
            lines.append(f"{s} <{EX}website> <https://org{i}.example.ro/> {g} .")
        if founded.startswith('"'):
            lines.append(f"{s} <{EX}founded> {founded} {g} .")
        else:
            lines.append(f'{s} <{EX}founded> "{founded}"^^<http://www.w3.org/2001/XMLSchema#integer> {g} .')
    return "\n".join(lines) + "\n", broken


def vocabulary() -> str:
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    return "".join(f"<{EX}{c}> {rdf_type} <{EX}Country> <{VOCAB}> .\n" for c in COUNTRIES)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--nodes", type=int, default=200_000)
    ap.add_argument("--baseline", type=int, default=5_000)
    args = ap.parse_args()

    shapes_graph = rdflib.Graph().parse(data=SHAPES, format="turtle")
    t = time.perf_counter()
    compiled = CompiledShapes.from_graph(shapes_graph)
    compile_s = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        store = ox.Store(tmp)
        data, broken = nquads(0, args.nodes)
        t = time.perf_counter()
        store.bulk_load(input=data + vocabulary(), format=ox.RdfFormat.N_QUADS)
        load_s = time.perf_counter() - t
        quads = len(store)
        store.optimize()
        graph, limit = ox.NamedNode(DATA), 1_000_000
        compiled.validate(store, graph, limit)  # warm the caches, as right after an ingest
        t, cpu = time.perf_counter(), time.process_time()
        found = compiled.validate(store, graph, limit)
        fast_s, fast_cpu = time.perf_counter() - t, time.process_time() - cpu
        del store

    sub, _ = nquads(0, args.baseline)
    g = rdflib.Graph()
    for s, p, o, _g in rdflib.Dataset().parse(data=sub + vocabulary(), format="nquads").quads():
        g.add((s, p, o))
    t, cpu = time.perf_counter(), time.process_time()
    _conforms, results, _ = pyshacl.validate(g, shacl_graph=shapes_graph, inference="none")
    slow_s, slow_cpu = time.perf_counter() - t, time.process_time() - cpu
    result_type = rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult")
    pyshacl_results = len(set(results.subjects(rdflib.RDF.type, result_type)))

    fast_rate, slow_rate = args.nodes / fast_s, args.baseline / slow_s
    cpu_ratio = (args.nodes / fast_cpu) / (args.baseline / slow_cpu)
    print(f"shapes: {len(compiled)} compiled checks in {compile_s * 1000:.0f} ms")
    print(f"store: {quads:,} quads on disk, bulk load {load_s:.1f} s")
    print(
        f"compiled: {args.nodes:,} nodes in {fast_s:.2f} s (CPU {fast_cpu:.2f} s) = {fast_rate:,.0f} nodes/s"
    )
    print(f"  {len(found)} violations from {broken} broken nodes")
    print(f"pyshacl: {args.baseline:,} nodes ({len(g):,} triples) in {slow_s:.2f} s (CPU {slow_cpu:.2f} s)")
    print(
        f"  = {slow_rate:,.0f} nodes/s, {pyshacl_results} results; all {args.nodes:,} nodes: ~{args.nodes / slow_rate:.0f} s"
    )
    print(f"ratio: compiled validates {fast_rate / slow_rate:,.1f}x more nodes per second than pyshacl")
    print(f"       ({cpu_ratio:,.1f}x per CPU second, which other load on the machine disturbs less)")


if __name__ == "__main__":
    main()
