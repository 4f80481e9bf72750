"""The measurements: each provider step next to its floor, taken under the same conditions
(Ironic holding only the nodes the step is about)."""

import statistics
from pathlib import Path

from m3bench import hosts as hostlib
from m3bench.apilog import ApiLog
from m3bench.clock import median_seconds, timed
from m3bench.direct import DirectClient
from m3bench.results import (APPLY, APPLY_RATIO, BUILD, DESTROY, PLAN, PLAN_RATIO, QUERY, SCHEMA,
                             Measurement)
from m3bench.tfdir import TfDir

SCHEMA_MAIN_TF = hostlib.MAIN_TF.split("variable", 1)[0]  # required_providers only
QUERY_TFQUERY = """list "metal3_baremetal_host" "all" {
  provider         = metal3
  include_resource = true
  limit            = %(limit)d
  config {
    namespace = "%(namespace)s"
  }
}
"""
# Plans of more hosts than this run once: they are long enough to vary little, and the budget is
# spent on them already.
PLAN_REPEAT_UP_TO = 200


def mib(kib):
    return None if kib is None else kib / 1024


class Bench:
    def __init__(self, stack: dict, profile, work: Path, cli_config: Path):
        self.stack = stack
        self.profile = profile
        self.work = work
        self.cli_config = cli_config
        self.api = ApiLog(stack)
        self.cleaner = DirectClient(stack, width=20)
        self._terraform_data_plans: dict = {}

    # ---- apply, plan of the applied hosts, deploy, destroy -----------------------------------
    def host_lifecycle(self, n: int, p: int, plan_after: bool) -> list:
        """The provider's apply of N new hosts to `available`, the no-op plan of those hosts
        (when `plan_after`), the apply that gives them the stack's image (deploy to
        `provisioned`) and the destroy (deprovision and delete); then the direct client's same
        three steps on as many other hosts. The deploy follows the inspection and cleaning the
        first apply did, as in a fleet taken into inventory first and provisioned later: each host
        is enrolled, inspected and cleaned once per side, which halves the bench's time."""
        label = f"n{n}-p{p}"
        ns = hostlib.namespace(label)
        members = hostlib.hosts(ns, n)
        image = hostlib.image_of(self.stack)
        ws = self._workspace(label, n)
        run, counts = self._counted(lambda: ws.apply("apply", p))
        plan = self._plan_of(ws, n, "plan no-op (inspected hosts)") if plan_after else None
        ws.write("bench.auto.tfvars.json", hostlib.host_vars(self.stack, ns, members, image=image))
        deploy, deploy_counts = self._counted(lambda: ws.apply("apply-image", p))
        destroy, destroy_counts = self._counted(lambda: ws.destroy("destroy", p))

        client = DirectClient(self.stack, width=p)
        members_direct = hostlib.hosts(hostlib.namespace(label + "-direct"), n)
        (uuids, floor), floor_counts = self._counted_timed(lambda: client.create(members_direct))
        (_, deploy_floor), deploy_floor_counts = self._counted_timed(lambda: client.deploy(uuids, image))
        (_, destroy_floor), destroy_floor_counts = self._counted_timed(
            lambda: client.destroy(uuids, deployed=True))

        def applied(measure, run, floor, counts, floor_counts):
            return Measurement(
                APPLY, measure, run.seconds, n, p, floor, "direct client", APPLY_RATIO,
                counts.per_host(n), floor_counts.per_host(n), mib(run.peak_rss_kib),
                details={"requests": counts.by_kind, "floor_requests": floor_counts.by_kind,
                         "agent_requests": counts.agent})

        out = [applied("apply -> available", run, floor, counts, floor_counts)]
        if plan:
            out.append(plan)
        out.append(applied("apply available -> provisioned", deploy, deploy_floor, deploy_counts,
                           deploy_floor_counts))
        out.append(Measurement(
            DESTROY, "destroy (provisioned hosts)", destroy.seconds, n, p, destroy_floor, "direct client",
            None, destroy_counts.per_host(n), destroy_floor_counts.per_host(n), mib(destroy.peak_rss_kib),
            details={"requests": destroy_counts.by_kind, "floor_requests": destroy_floor_counts.by_kind}))
        return out

    # ---- the plan series on hosts enrolled without inspection or cleaning --------------------
    def plan_series(self) -> list:
        """Grows one workspace through the profile's plan sizes; at each, Ironic holds exactly
        that many nodes and a no-op plan is timed."""
        label = "plan"
        ns = hostlib.namespace(label)
        out = []
        ws = None
        previous = 0
        for n in sorted(self.profile.plan_sizes):
            members = hostlib.hosts(ns, n)
            if ws is None:
                ws = self._workspace(label, n, inspect=False, clean=False)
            else:
                ws.write("bench.auto.tfvars.json", hostlib.host_vars(
                    self.stack, ns, members, inspect=False, clean=False))
            width = self.profile.build_parallelism
            build, counts = self._counted(lambda: ws.apply(f"apply-n{n}", width))
            added, previous = n - previous, n
            out.append(Measurement(
                BUILD, "apply, no inspection/cleaning (grow to N)", build.seconds, n, width,
                requests_per_host=counts.per_host(added), peak_rss_mib=mib(build.peak_rss_kib),
                details={"requests": counts.by_kind, "hosts_added": added}))
            out.append(self._plan_of(ws, n, "plan no-op (enrolled hosts)"))
            out.append(self._query_of(ws, ns, n))
        self.purge_namespace(ns)
        return out

    def _plan_of(self, ws: TfDir, n: int, measure: str) -> Measurement:
        p = self.profile.plan_parallelism
        repeats = self.profile.repeats if n <= PLAN_REPEAT_UP_TO else 1
        runs = []
        first_counts = None
        for i in range(repeats):
            run, counts = self._counted(lambda: ws.noop_plan(f"plan-n{n}-{i}", p))
            runs.append(run)
            first_counts = first_counts or counts
        listed = {}
        list_seconds = median_seconds(lambda: listed.update(zip(("nodes", "pages"), self.cleaner.list_all())),
                                      self.profile.repeats)
        data_seconds = self._terraform_data_plan(n)
        return Measurement(
            PLAN, measure, statistics.median(r.seconds for r in runs), n, p,
            data_seconds + list_seconds, "terraform_data plan + one node list", PLAN_RATIO,
            first_counts.per_host(n), listed["pages"] / n, mib(max((r.peak_rss_kib or 0) for r in runs) or None),
            details={"requests": first_counts.by_kind, "terraform_data_plan_seconds": data_seconds,
                     "node_list_seconds": list_seconds, "nodes_listed": listed["nodes"],
                     "runs": [r.seconds for r in runs]})

    def _query_of(self, ws: TfDir, ns: str, n: int) -> Measurement:
        """`terraform query` of the namespace's N hosts with their resource objects: the list
        resource reads a page of nodes at a time, so its peak RSS should not grow with N."""
        query = ws.path / "bench.tfquery.hcl"
        query.write_text(QUERY_TFQUERY % {"namespace": ns, "limit": n + 10})
        try:
            run, counts = self._counted(lambda: ws.run(f"query-n{n}", "query", "-json", "-no-color"))
        finally:
            query.unlink()
        found = sum('"type":"list_resource_found"' in line
                    for line in run.log.read_text(errors="replace").splitlines())
        if found != n:
            raise RuntimeError(f"query listed {found} hosts, expected {n}; see {run.log}")
        list_seconds = median_seconds(self.cleaner.list_all, self.profile.repeats)
        return Measurement(
            QUERY, "query, include_resource (list N hosts)", run.seconds, n, None,
            list_seconds, "one node list", None, counts.per_host(n), None, mib(run.peak_rss_kib),
            details={"requests": counts.by_kind})

    def _terraform_data_plan(self, n: int) -> float:
        """Median time of a no-op plan of `n` terraform_data instances (cached per n)."""
        if n not in self._terraform_data_plans:
            ws = TfDir(self.work / "runs" / f"terraform-data-n{n}", self.cli_config)
            ws.write("main.tf", hostlib.TERRAFORM_DATA_TF)
            ws.write("bench.auto.tfvars.json",
                     hostlib.terraform_data_vars(hostlib.hosts(hostlib.namespace("data"), n)))
            ws.init()
            ws.apply("apply", self.profile.plan_parallelism)
            repeats = self.profile.repeats if n <= PLAN_REPEAT_UP_TO else 1
            times = [ws.noop_plan(f"plan-{i}", self.profile.plan_parallelism).seconds for i in range(repeats)]
            self._terraform_data_plans[n] = statistics.median(times)
        return self._terraform_data_plans[n]

    # ---- schema ----------------------------------------------------------------------------
    def schema(self) -> list:
        """`terraform providers schema -json` with the provider, against the same command in a
        directory without providers (Terraform's start-up and configuration loading)."""
        with_provider = TfDir(self.work / "runs" / "schema", self.cli_config)
        with_provider.write("main.tf", SCHEMA_MAIN_TF)
        with_provider.init()
        bare = TfDir(self.work / "runs" / "schema-floor", self.cli_config)
        bare.write("main.tf", "terraform {}\n")
        init = bare.init()
        repeats = self.profile.repeats
        peaks = []

        def schema_run():
            peaks.append(with_provider.run("schema", "providers", "schema", "-json").peak_rss_kib)

        seconds = median_seconds(schema_run, repeats)
        floor = median_seconds(lambda: bare.run("schema", "providers", "schema", "-json"), repeats)
        version = median_seconds(lambda: bare.run("version", "version"), repeats)
        return [Measurement(
            SCHEMA, "providers schema -json", seconds, floor_seconds=floor,
            floor="same command, no provider", peak_rss_mib=mib(max((k or 0) for k in peaks) or None),
            details={"terraform_version_seconds": version, "provider_less_init_seconds": init.seconds})]

    # ---- helpers -------------------------------------------------------------------------
    def _workspace(self, label: str, n: int, image=None, inspect=True, clean=True):
        ns = hostlib.namespace(label)
        members = hostlib.hosts(ns, n)
        ws = TfDir(self.work / "runs" / label, self.cli_config)
        ws.write("main.tf", hostlib.MAIN_TF)
        ws.write("bench.auto.tfvars.json", hostlib.host_vars(self.stack, ns, members, image=image,
                                                             inspect=inspect, clean=clean))
        ws.init()
        return ws

    def _counted(self, step):
        mark = self.api.mark()
        result = step()
        return result, self.api.count_since(mark)

    def _counted_timed(self, step):
        mark = self.api.mark()
        with timed() as watch:
            result = step()
        return (result, watch.seconds), self.api.count_since(mark)

    def purge(self, prefix: str) -> int:
        """Deletes the nodes whose names start with `prefix` (not measured)."""
        return self.cleaner.purge(prefix)

    def purge_namespace(self, ns: str) -> int:
        return self.purge(f"{ns}~")

