/** issue #12: the mesh objects generated from the declared service flows (model/mesh.ts). */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
    MeshEdge,
    MeshObject,
    SERVICE_FLOWS,
    ServiceFlow,
    admits,
    authorizationPolicies,
    meshObjects,
    serviceFlowProblems,
    serviceFlowsOf,
} from "../../model/mesh";
import { portalNetworkPolicies } from "../../model/networkPolicies";
import { APP_NAMESPACE } from "../../model/ports";
import { FLOWS } from "../../model/flows";
import { nonL4Attribute } from "../../model/reachabilityMesh";
import { SERVED_PORTS, WORKLOAD_NAMES, WorkloadName } from "../../model/workloads";
import { istioSpecProblems } from "../support/k8sSchemas";

const EKS: MeshEdge = { kind: "eks", albSourceCidrs: ["10.0.0.0/24", "10.0.1.0/24"] };
const ON_PREM: MeshEdge = { kind: "onPrem", ingressNamespace: "ingress-nginx" };
const SOURCES = ["edge", ...WORKLOAD_NAMES] as const;
const PORTS = [...Object.values(SERVED_PORTS), 5432, 15008];

/**
 * What ambient mode adds to the CRD schema (tests/support/k8sSchemas.ts validates the schema itself): the objects live in
 * the portal namespace under DNS-label names, and ztunnel enforces only L4 fields (no methods/paths without a waypoint).
 * @see https://istio.io/latest/docs/ambient/usage/l4-policy/
 */
function schemaProblems(o: MeshObject): string[] {
    const p: string[] = [];
    if (o.apiVersion !== "security.istio.io/v1") p.push(`apiVersion ${o.apiVersion}`);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.metadata.name) || o.metadata.name.length > 63) p.push(`name ${o.metadata.name}`);
    if (o.metadata.namespace !== APP_NAMESPACE) p.push(`namespace ${o.metadata.namespace}`);
    if (o.kind !== "PeerAuthentication" && o.kind !== "AuthorizationPolicy") return [...p, `kind ${o.kind}`];
    p.push(...istioSpecProblems(o.kind, o.spec));
    const l7 = o.kind === "AuthorizationPolicy" ? nonL4Attribute(o.spec) : undefined;
    if (l7) p.push(`${l7} needs a waypoint`);
    return p;
}

describe("model/mesh: STRICT mTLS and authorization from the service flows", () => {
    for (const edge of [EKS, ON_PREM]) {
        it(`every generated object has the CRD's shape (${edge.kind})`, () => {
            assert.deepEqual(
                meshObjects(edge).flatMap((o) => schemaProblems(o).map((p) => `${o.kind} ${o.metadata.name}: ${p}`)),
                [],
            );
        });
        it(`the namespace default is STRICT, with an allow-nothing policy (${edge.kind})`, () => {
            const objects = meshObjects(edge);
            const wide = objects.find((o) => o.kind === "PeerAuthentication" && !(o.spec as any).selector);
            assert.equal((wide?.spec as any).mtls.mode, "STRICT");
            assert.ok(objects.some((o) => o.kind === "AuthorizationPolicy" && Object.keys(o.spec).length === 0));
        });
    }

    it("the declared flows: django-web -> fastapi-api and the edge -> both served workloads; nothing calls celery", () => {
        const objects = meshObjects(EKS);
        assert.ok(admits(objects, "django-web", "fastapi-api", SERVED_PORTS["fastapi-api"], EKS));
        assert.ok(admits(objects, "edge", "django-web", SERVED_PORTS["django-web"], EKS));
        assert.ok(admits(objects, "edge", "fastapi-api", SERVED_PORTS["fastapi-api"], EKS));
        for (const from of SOURCES) for (const port of PORTS) assert.ok(!admits(objects, from, "celery-worker", port, EKS), `${from} -> celery-worker:${port}`);
        assert.ok(!admits(objects, "fastapi-api", "django-web", SERVED_PORTS["django-web"], EKS));
        assert.ok(!admits(objects, "celery-worker", "fastapi-api", SERVED_PORTS["fastapi-api"], EKS));
        assert.deepEqual(serviceFlowProblems(SERVICE_FLOWS), []);
    });

    it("one flow model: the mesh's calls are FLOWS's intended flows into portal pods, and a flow added there gets its ALLOW rule", () => {
        assert.deepEqual(
            SERVICE_FLOWS.map((f) => `${f.from}->${f.to}:${f.port}`),
            ["edge->django-web:8000", "edge->fastapi-api:8080", "django-web->fastapi-api:8080"],
        );
        const forbiddenIntoPods = FLOWS.filter((f) => !f.intended && f.to.kind === "pods");
        assert.ok(forbiddenIntoPods.length >= 5);
        for (const f of forbiddenIntoPods)
            assert.ok(
                !SERVICE_FLOWS.some((s) => s.to === (f.to as { app: string }).app && s.port === f.port && f.from.kind === "pods" && s.from === f.from.app),
                f.name,
            );
        const added = serviceFlowsOf([
            ...FLOWS,
            { ...FLOWS.find((f) => f.name === "django-web-to-fastapi-api")!, name: "x", from: { kind: "pods", app: "celery-worker" } },
        ]);
        assert.ok(admits(authorizationPolicies(EKS, added), "celery-worker", "fastapi-api", 8080, EKS));
        assert.ok(!admits(authorizationPolicies(EKS), "celery-worker", "fastapi-api", 8080, EKS));
    });

    it("property: a call is admitted exactly when a declared flow lists it (any flow list, either site)", () => {
        const flow = fc.record({
            from: fc.constantFrom(...SOURCES),
            to: fc.constantFrom<WorkloadName>("django-web", "fastapi-api"),
            why: fc.constant("test"),
        });
        fc.assert(
            fc.property(fc.array(flow, { maxLength: 6 }), fc.constantFrom(EKS, ON_PREM), (raw, edge) => {
                const flows: ServiceFlow[] = raw.map((f) => ({ ...f, port: SERVED_PORTS[f.to as keyof typeof SERVED_PORTS] }));
                const objects = authorizationPolicies(edge, flows);
                for (const from of SOURCES)
                    for (const to of WORKLOAD_NAMES)
                        for (const port of PORTS) {
                            const declared = flows.some((f) => f.from === from && f.to === to && f.port === port);
                            assert.equal(admits(objects, from, to, port, edge), declared, `${from} -> ${to}:${port}`);
                        }
            }),
        );
    });

    it("the NetworkPolicies admit HBONE (15008) for each service-to-service flow, both ends", () => {
        const policies = portalNetworkPolicies({ kind: "eks", albSourceCidrs: ["10.0.0.0/24"] }, ["10.0.20.0/24"]);
        for (const f of SERVICE_FLOWS.filter((x) => x.from !== "edge")) {
            const ingress = policies.some(
                (p) =>
                    p.spec.podSelector.matchLabels?.app === f.to &&
                    p.spec.ingress?.some((r) => r.from.some((peer) => peer.podSelector?.matchLabels?.app === f.from) && r.ports.some((x) => x.port === 15008)),
            );
            const egress = policies.some(
                (p) =>
                    p.spec.podSelector.matchLabels?.app === f.from &&
                    p.spec.egress?.some((r) => r.to.some((peer) => peer.podSelector?.matchLabels?.app === f.to) && r.ports.some((x) => x.port === 15008)),
            );
            assert.ok(ingress && egress, `${f.from} -> ${f.to}: ingress ${ingress}, egress ${egress}`);
        }
    });
});
