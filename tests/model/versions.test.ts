/** model/versions.ts: every pin in one list, with well-formed support windows that the schema and defaults use. */
import * as assert from "node:assert/strict";
import { DEFAULTS } from "../../model/defaults";
import {
    CHARTS,
    chartKubernetesProblem,
    clusterAutoscalerMinor,
    DEFAULT_KUBERNETES_VERSION,
    LAMBDA_RUNTIMES,
    POSTGRES_MINORS,
    REDIS_WINDOWS,
    KUBERNETES_SUPPORT,
    KUBERNETES_VERSIONS,
    OPENSEARCH,
    PINNED_VERSIONS,
    POSTGRES,
    pastStandardSupport,
    postgresParameterGroupFamily,
    REDIS,
} from "../../model/versions";
import { configJsonSchema } from "../../tools/docs";

const ISO = /^\d{4}-\d{2}-\d{2}$/;

describe("model/versions", () => {
    it("gives every support window a source and ISO dates in order", () => {
        for (const pin of PINNED_VERSIONS) {
            const s = pin.support;
            if (!s) continue;
            const label = `${pin.component} ${pin.version}`;
            assert.ok(s.source.length > 10, `${label}: a source`);
            for (const d of [s.noNewResourcesFrom, s.standardSupportEnds, s.extendedSupportEnds]) if (d !== undefined) assert.match(d, ISO, label);
            if (s.standardSupportEnds && s.extendedSupportEnds) assert.ok(s.standardSupportEnds < s.extendedSupportEnds, `${label}: standard before extended`);
            if (s.noNewResourcesFrom && s.standardSupportEnds) assert.ok(s.noNewResourcesFrom <= s.standardSupportEnds, label);
            if (s.confirmed) assert.ok(s.standardSupportEnds, `${label}: a confirmed window has an end date`);
        }
    });

    it("is what the schema accepts and defaults to", () => {
        const app = configJsonSchema().properties!["hybrid-platform"].properties!.app.properties!;
        assert.deepEqual(app.kubernetesVersion.enum, KUBERNETES_VERSIONS);
        assert.deepEqual(
            [...KUBERNETES_VERSIONS].sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1])),
            KUBERNETES_VERSIONS,
            "oldest first",
        );
        assert.ok(KUBERNETES_VERSIONS.includes(DEFAULT_KUBERNETES_VERSION));
        assert.equal(DEFAULTS.app.kubernetesVersion, DEFAULT_KUBERNETES_VERSION);
        assert.equal(DEFAULTS.data.postgres.engineVersion, POSTGRES.version);
        assert.equal(DEFAULTS.data.redis.engineVersion, REDIS.version);
        assert.equal(DEFAULTS.observability.logSearch.engineVersion, OPENSEARCH.version);
        assert.equal(DEFAULTS.dr.databaseParameterGroupFamily, postgresParameterGroupFamily(POSTGRES.version));
        assert.equal(postgresParameterGroupFamily("17.2"), "postgres17");
        // Each accepted Kubernetes version appears once, the default marked as such.
        const k8s = PINNED_VERSIONS.filter((p) => p.component === "EKS Kubernetes");
        assert.deepEqual(
            k8s.map((p) => p.version),
            KUBERNETES_VERSIONS,
        );
        assert.deepEqual(
            k8s.filter((p) => p.role === "default").map((p) => p.version),
            [DEFAULT_KUBERNETES_VERSION],
        );
        assert.equal(Object.keys(KUBERNETES_SUPPORT).length, KUBERNETES_VERSIONS.length);
    });

    it("names the pins past standard support on a date (what issue #11 will flag)", () => {
        const past = (date: string) => pastStandardSupport(date).map((p) => `${p.component} ${p.version}`);
        assert.deepEqual(past("2025-01-01"), []);
        // On 2026-12-01 the accepted-but-not-default 1.31-1.33 run on paid extended support; the defaults are inside their windows.
        assert.deepEqual(past("2026-12-01"), ["EKS Kubernetes 1.31", "EKS Kubernetes 1.32", "EKS Kubernetes 1.33"]);
        assert.ok(!past("2026-12-01").some((p) => p.includes(DEFAULT_KUBERNETES_VERSION) || p.includes(POSTGRES.version)));
    });

    it("pins what AWS can still create on 2026-12-01 (issue #11 findings 4 and 14)", () => {
        assert.equal(DEFAULT_KUBERNETES_VERSION, "1.35", "1.33 left standard support on 2026-07-29, 1.34 leaves it on 2026-12-02");
        assert.ok(KUBERNETES_SUPPORT[DEFAULT_KUBERNETES_VERSION].standardSupportEnds > "2027-03-01", "more than 90 days of standard support left");
        assert.equal(POSTGRES.version, "16.11");
        assert.equal(POSTGRES_MINORS["16.6"].noNewResourcesFrom, "2026-05-01", "the deprecated minor keeps its window, so a stack file carrying it is named");
        assert.equal(postgresParameterGroupFamily(POSTGRES.version), "postgres16", "the minor move keeps the DR parameter group family");
    });

    it("pins the cluster-autoscaler chart whose CA minor is the default Kubernetes minor", () => {
        assert.equal(clusterAutoscalerMinor(CHARTS.clusterAutoscaler.version), DEFAULT_KUBERNETES_VERSION);
        assert.equal(CHARTS.clusterAutoscaler.kubernetes.minor, DEFAULT_KUBERNETES_VERSION);
        assert.equal(clusterAutoscalerMinor("9.43.2"), "1.31", "the old pin shipped CA 1.31");
        assert.equal(clusterAutoscalerMinor("9.52.0"), "1.34");
        assert.equal(clusterAutoscalerMinor("9.1.0"), undefined);
        for (const c of Object.values(CHARTS)) assert.equal(chartKubernetesProblem(c.kubernetes, DEFAULT_KUBERNETES_VERSION), undefined, c.chart);
        assert.match(chartKubernetesProblem({ minor: "1.31", source: "x" }, "1.35") ?? "", /for Kubernetes 1\.31, not 1\.35/);
        assert.match(chartKubernetesProblem({ min: "1.36", source: "x" }, "1.35") ?? "", /1\.36 and later/);
    });

    it("gives every Lambda runtime and Redis window a source and an ISO end", () => {
        for (const [name, w] of [...Object.entries(LAMBDA_RUNTIMES), ...Object.entries(REDIS_WINDOWS)]) {
            assert.match(w.standardSupportEnds, ISO, name);
            assert.ok(w.source.startsWith("https://"), name);
        }
    });
});
