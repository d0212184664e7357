/** model/versions.ts: every pin in one list, with well-formed support windows that the schema and defaults use. */
import * as assert from "node:assert/strict";
import { DEFAULTS } from "../../model/defaults";
import {
    DEFAULT_KUBERNETES_VERSION,
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
        // On 2026-12-01 the default EKS 1.33 runs on paid extended support and 16.6 can no longer be created.
        assert.deepEqual(past("2026-12-01"), ["EKS Kubernetes 1.31", "EKS Kubernetes 1.32", "EKS Kubernetes 1.33", "RDS for PostgreSQL 16.6"]);
    });
});
