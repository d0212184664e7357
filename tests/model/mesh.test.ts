/** issue #12: the mesh objects generated from the declared service flows (model/mesh.ts). */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { MeshEdge, MeshObject, SERVICE_FLOWS, ServiceFlow, admits, authorizationPolicies, meshObjects, serviceFlowProblems } from "../../model/mesh";
import { portalNetworkPolicies } from "../../model/networkPolicies";
import { APP_NAMESPACE } from "../../model/ports";
import { SERVED_PORTS, WORKLOAD_NAMES, WorkloadName } from "../../model/workloads";

const EKS: MeshEdge = { kind: "eks", albSourceCidrs: ["10.0.0.0/24", "10.0.1.0/24"] };
const ON_PREM: MeshEdge = { kind: "onPrem", ingressNamespace: "ingress-nginx" };
const SOURCES = ["edge", ...WORKLOAD_NAMES] as const;
const PORTS = [...Object.values(SERVED_PORTS), 5432, 15008];

/**
 * The published shape of the two Istio CRDs (security.istio.io/v1, served since Istio 1.22), as their OpenAPI schemas
 * in the base chart declare them: PeerAuthentication spec {selector?, mtls?{mode}, portLevelMtls?{<port>: {mode}}},
 * mode one of UNSET/DISABLE/PERMISSIVE/STRICT; AuthorizationPolicy spec {selector?, action?, rules?[{from?[{source}],
 * to?[{operation}], when?}]}, action one of ALLOW/DENY/AUDIT/CUSTOM, operation.ports strings. Ambient's ztunnel enforces
 * only L4 fields (no methods/paths without a waypoint).
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/docs/ambient/usage/l4-policy/
 */
function schemaProblems(o: MeshObject): string[] {
    const p: string[] = [];
    if (o.apiVersion !== "security.istio.io/v1") p.push(`apiVersion ${o.apiVersion}`);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.metadata.name) || o.metadata.name.length > 63) p.push(`name ${o.metadata.name}`);
    if (o.metadata.namespace !== APP_NAMESPACE) p.push(`namespace ${o.metadata.namespace}`);
    const spec = o.spec as Record<string, any>;
    const known = (keys: string[]) =>
        Object.keys(spec)
            .filter((k) => !keys.includes(k))
            .forEach((k) => p.push(`unknown spec.${k}`));
    const MODES = ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"];
    if (spec.selector !== undefined && typeof spec.selector.matchLabels !== "object") p.push("selector without matchLabels");
    if (o.kind === "PeerAuthentication") {
        known(["selector", "mtls", "portLevelMtls"]);
        if (spec.mtls && !MODES.includes(spec.mtls.mode)) p.push(`mtls.mode ${spec.mtls.mode}`);
        for (const [port, v] of Object.entries((spec.portLevelMtls ?? {}) as Record<string, any>)) {
            if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) p.push(`portLevelMtls key ${port}`);
            if (!MODES.includes(v.mode)) p.push(`portLevelMtls mode ${v.mode}`);
        }
        // The CRD's validation: portLevelMtls requires a selector.
        if (spec.portLevelMtls && !spec.selector) p.push("portLevelMtls without selector");
    } else if (o.kind === "AuthorizationPolicy") {
        known(["selector", "action", "rules"]);
        if (spec.action !== undefined && !["ALLOW", "DENY", "AUDIT", "CUSTOM"].includes(spec.action)) p.push(`action ${spec.action}`);
        for (const r of (spec.rules ?? []) as any[]) {
            for (const f of r.from ?? [])
                for (const k of Object.keys(f.source)) if (!["principals", "namespaces", "ipBlocks"].includes(k)) p.push(`source.${k} is not L4`);
            for (const t of r.to ?? []) {
                for (const k of Object.keys(t.operation)) if (k !== "ports") p.push(`operation.${k} needs a waypoint`);
                for (const port of t.operation.ports) if (typeof port !== "string") p.push(`port ${port} is not a string`);
            }
        }
    } else p.push(`kind ${o.kind}`);
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
