/** issue #12: the mesh on the real prod plan: Istio ambient installed in order, the namespace enrolled, HTTPS to the pods. */
import * as assert from "node:assert/strict";
import { CHARTS } from "../../../model/versions";
import { Plan, PlannedResource } from "../../../tools/offline";
import { MESH_PLATFORMS } from "../../../model/meshPlatforms";
import { Graph, stackGuardrail } from "../../../policy/lib";
import { meshStateOf } from "../../../policy/reachabilityMeshGraph";
import { MeshState } from "../../../model/reachabilityMesh";
import { flowsOf } from "../../../tools/flows";
import { analyzeResources } from "../../../tools/policyRunner";
import { appClusterAlone, ofType, planOf, planStack, withOnPremCluster } from "../../support";

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

/** AppCluster with an on-prem cluster of the given distribution (the prod stack's app section, plus app.onPrem). */
const onPremPlan = (distribution: "rke2" | "openshift") =>
    appClusterAlone({
        config: { app: (app) => Object.assign(app, { onPrem: { distribution } }) },
        keys: { "hybrid-platform:onPremKubeconfig": "offline-secret:hybrid-platform:onPremKubeconfig" },
    });

for (const distribution of ["openshift", "rke2"] as const) {
    describe(`AppCluster mesh step on an on-prem ${distribution} cluster`, () => {
        let plan: Plan;
        let onPremUrn: string;
        const mine = () => plan.resources.filter((r) => r.provider?.startsWith(onPremUrn));
        before(async () => {
            plan = await onPremPlan(distribution);
            onPremUrn = ofType(plan, "pulumi:providers:kubernetes").find((p) => p.name.endsWith("onprem"))!.urn;
        });

        it("installs the same four charts through the on-prem provider, in order, with the distribution's values and namespaces", () => {
            const releases = mine().filter((r) => r.type === HELM);
            assert.deepEqual(
                releases.map((r) => props(r).chart),
                ["base", "istiod", "cni", "ztunnel"],
            );
            const byChart = new Map(releases.map((r) => [props(r).chart as string, r]));
            for (const [i, chart] of ["istiod", "cni", "ztunnel"].entries())
                assert.ok(byChart.get(chart)!.dependencies.includes(releases[i].urn), `${chart} waits for ${props(releases[i]).chart}`);
            const values = (chart: string) => props(byChart.get(chart)!).values;
            const ns = (chart: string) => props(byChart.get(chart)!).namespace;
            if (distribution === "openshift") {
                // istio.io platform prerequisites: global.platform=openshift for every chart, cni and ztunnel in kube-system.
                for (const chart of ["base", "istiod", "cni", "ztunnel"]) assert.equal(values(chart).global?.platform, "openshift", chart);
                assert.deepEqual([ns("base"), ns("istiod"), ns("cni"), ns("ztunnel")], ["istio-system", "istio-system", "kube-system", "kube-system"]);
                assert.equal(values("istiod").trustedZtunnelNamespace, "kube-system", "istiod trusts the ztunnel it serves");
            } else {
                // RKE2: standard CNI paths, never the k3s profile's; istio-system created privileged for Pod Security.
                assert.equal(values("cni").cniBinDir, "/opt/cni/bin");
                assert.equal(values("cni").cniConfDir, "/etc/cni/net.d");
                for (const chart of ["base", "istiod", "cni", "ztunnel"]) assert.equal(values(chart).global?.platform, undefined, chart);
                const istioNs = mine().find((r) => r.type === "kubernetes:core/v1:Namespace" && props(r).metadata.name === "istio-system")!;
                assert.deepEqual(props(istioNs).metadata.labels, MESH_PLATFORMS.rke2.namespaceLabels);
                assert.ok(byChart.get("base")!.dependencies.includes(istioNs.urn));
                assert.equal(props(byChart.get("base")!).createNamespace, false);
            }
            for (const chart of ["istiod", "cni"]) assert.equal(values(chart).profile, "ambient");
        });

        it("the on-prem mesh objects wait for the on-prem ztunnel, not the EKS one", () => {
            const ztunnel = mine().find((r) => r.type === HELM && props(r).chart === "ztunnel")!;
            const objects = mine().filter((r) => r.type.startsWith("kubernetes:security.istio.io/v1:"));
            // 4, and issue #13's three scrape ALLOWs.
            assert.equal(objects.length, 7);
            for (const r of objects) assert.ok(r.dependencies.includes(ztunnel.urn), `${r.name} waits for the on-prem ztunnel`);
        });

        it("the EKS install is unchanged by the on-prem one", () => {
            const eks = ofType(plan, HELM).filter((r) => r.name.startsWith("app-istio-"));
            assert.equal(eks.length, 4);
            for (const r of eks) assert.equal(props(r).values.global, undefined, r.name);
        });
    });
}

describe("the mesh layer of a prod plan with an on-prem cluster reads the EKS cluster's mesh", () => {
    it("the flows into EKS pods are decided by the EKS objects (the ALB's subnets), not the on-prem ones (the ingress namespace)", async () => {
        const plan = await planStack("prod", { config: withOnPremCluster("prod", "openshift") });
        // 4, and issue #13's three scrape ALLOWs (the collector's identity to each metrics port).
        assert.equal(plan.resources.filter((r) => r.type.startsWith("kubernetes:security.istio.io/v1:") && r.provider?.includes("onprem")).length, 7);
        const rows = await flowsOf(plan.resources);
        assert.deepEqual(
            rows.filter((r) => !r.ok).map((r) => r.name),
            [],
        );
        const edge = rows.find((r) => r.name === "alb-to-django-web")!.layers.find((l) => l.layer === "mesh")!;
        assert.match(edge.rule, /allow-to-django-web admits 10\.10\.\d+\.\d+ \(plaintext\)/);
        // The on-prem policies admit the ingress namespace and have no -edge PeerAuthentication: read, they would refuse the ALB.
        const internet = rows.find((r) => r.name === "internet-to-pods")!.layers.find((l) => l.layer === "mesh")!;
        assert.equal(internet.verdict, "deny");
        // What the layer reads: the EKS cluster's six objects only (its -edge PeerAuthentications, no ingress-namespace source).
        let state: MeshState | undefined;
        const capture = stackGuardrail({
            ...{ name: "mesh-state-capture", description: "-", remediation: "-", concern: "network-exposure", seed: "-", why: "-", types: [] },
            check: ({ graph }) => void (state = meshStateOf(graph as Graph)),
        });
        await analyzeResources(plan.resources, { policies: [capture] });
        assert.deepEqual(state!.policies.map((p) => p.name).sort(), [
            "allow-nothing",
            // issue #13: the collector's identity to each metrics port.
            "allow-scrape-to-celery-worker",
            "allow-scrape-to-django-web",
            "allow-scrape-to-fastapi-api",
            "allow-to-django-web",
            "allow-to-fastapi-api",
            "default",
            "django-web-edge",
            "fastapi-api-edge",
        ]);
        assert.ok(!JSON.stringify(state!.policies).includes("namespaces"));
    });
});
