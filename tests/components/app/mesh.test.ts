/** issue #12: the mesh on the real prod plan: Istio ambient installed in order, the namespace enrolled, HTTPS to the pods. */
import * as assert from "node:assert/strict";
import { CHARTS } from "../../../model/versions";
import { Plan, PlannedResource } from "../../../tools/offline";
import { ofType, planOf } from "../../support";

const HELM = "kubernetes:helm.sh/v3:Release";
const props = (r: PlannedResource) => r.props as Record<string, any>;

describe("AppCluster mesh step (prod plan)", () => {
    let plan: Plan;
    before(async () => {
        plan = await planOf("prod");
    });

    it("installs base, istiod, cni and ztunnel from the pinned charts, each after the one before", () => {
        const releases = ofType(plan, HELM).filter((r) => r.name.startsWith("app-istio-"));
        const byChart = new Map(releases.map((r) => [props(r).chart as string, r]));
        const order = ["istioBase", "istiod", "istioCni", "ztunnel"] as const;
        for (const [i, key] of order.entries()) {
            const r = byChart.get(CHARTS[key].chart);
            assert.ok(r, `release of ${CHARTS[key].chart}`);
            assert.equal(props(r).version, CHARTS[key].version);
            assert.equal(props(r).repositoryOpts.repo, "https://blob.istio.io/istio-release/charts");
            assert.equal(props(r).namespace, "istio-system");
            if (i > 0) assert.ok(r.dependencies.includes(byChart.get(CHARTS[order[i - 1]].chart)!.urn), `${key} waits for ${order[i - 1]}`);
        }
        for (const chart of ["istiod", "cni"]) assert.equal(props(byChart.get(chart)!).values.profile, "ambient");
    });

    it("the workloads wait for the mesh (CRDs and ztunnel) and the namespace is enrolled in ambient", () => {
        const ztunnel = ofType(plan, HELM).find((r) => r.name === "app-istio-ztunnel")!;
        const mesh = plan.resources.filter((r) => r.type.startsWith("kubernetes:security.istio.io/v1:") && !r.provider?.includes("onprem"));
        assert.ok(mesh.length >= 4);
        for (const r of mesh) assert.ok(r.dependencies.includes(ztunnel.urn), `${r.name} waits for ztunnel`);
        const ns = ofType(plan, "kubernetes:core/v1:Namespace").find((n) => n.name === "app-workloads-ns")!;
        assert.equal(props(ns).metadata.labels["istio.io/dataplane-mode"], "ambient");
    });

    it("the ALB reaches the pods over HTTPS: target groups and health checks HTTPS, pods serve TLS and probe over HTTPS", () => {
        const tgs = ofType(plan, "aws:lb/targetGroup:TargetGroup");
        assert.ok(tgs.length >= 2);
        for (const tg of tgs) {
            assert.equal(props(tg).protocol, "HTTPS", tg.name);
            assert.equal(props(tg).healthCheck.protocol, "HTTPS", tg.name);
        }
        const web = ofType(plan, "kubernetes:apps/v1:Deployment").find((d) => d.name === "app-workloads-django-web")!;
        const c = props(web).spec.template.spec.containers[0];
        assert.ok(c.env.some((e: { name: string; value: string }) => e.name === "SERVE_TLS" && e.value === "self-signed"));
        assert.equal(c.readinessProbe.httpGet.scheme, "HTTPS");
        assert.equal(c.livenessProbe.httpGet.scheme, "HTTPS");
    });
});
