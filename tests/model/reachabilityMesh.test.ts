/** issue #12: the mesh layer's semantics (model/reachabilityMesh.ts) on hand-built policy sets, and its invariants as properties. */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { meshObjects } from "../../model/mesh";
import { MeshPolicy, MeshSource, MeshState, meshDecide, peerAuthenticationMode } from "../../model/reachabilityMesh";

const NS = "citizen-portal";
const web: MeshSource = { kind: "workload", namespace: NS, serviceAccount: "django-web", ip: "10.10.0.10" };
const worker: MeshSource = { kind: "workload", namespace: NS, serviceAccount: "celery-worker", ip: "10.10.1.10" };
const alb: MeshSource = { kind: "outside", ip: "10.10.128.10" };
const internet: MeshSource = { kind: "outside", ip: "198.51.100.77" };
const api = { namespace: NS, labels: { app: "fastapi-api" } };
const site = { namespace: NS, labels: { app: "django-web" } };

const pa = (name: string, spec: Record<string, any>, namespace = NS): MeshPolicy => ({ kind: "PeerAuthentication", name, namespace, spec });
const authz = (name: string, spec: Record<string, any>, namespace = NS): MeshPolicy => ({ kind: "AuthorizationPolicy", name, namespace, spec });
const state = (...policies: MeshPolicy[]): MeshState => ({ policies, ambientNamespaces: [NS] });
const verdict = (s: MeshState, src: MeshSource, dst = api, port = 8080) => meshDecide(s, src, dst, port).verdict;
const STRICT = pa("default", { mtls: { mode: "STRICT" } });
const NOTHING = authz("allow-nothing", {});
const allowFrom = (source: Record<string, string[]>, ports = ["8080"]) =>
    authz(`allow-${JSON.stringify(source).length}`, {
        selector: { matchLabels: { app: "fastapi-api" } },
        action: "ALLOW",
        rules: [{ from: [{ source }], to: [{ operation: { ports } }] }],
    });

describe("model/reachabilityMesh: ztunnel's L4 authorization", () => {
    it("a pod outside an ambient namespace is not the mesh's business", () => {
        assert.equal(meshDecide({ policies: [STRICT, NOTHING], ambientNamespaces: [] }, internet, api, 8080).verdict, "allow");
    });

    it("no AuthorizationPolicy admits; allow-nothing alone refuses everyone", () => {
        assert.equal(verdict(state(STRICT), web), "allow");
        const d = meshDecide(state(STRICT, NOTHING), web, api, 8080);
        assert.equal(d.verdict, "deny");
        assert.match(d.rule, /no ALLOW rule of AuthorizationPolicy citizen-portal\/allow-nothing admits cluster\.local\/ns\/citizen-portal\/sa\/django-web/);
    });

    it("principals and namespaces match mesh identities only, ipBlocks the address, ports the application port", () => {
        const byPrincipal = state(STRICT, NOTHING, allowFrom({ principals: ["cluster.local/ns/citizen-portal/sa/django-web"] }));
        assert.equal(verdict(byPrincipal, web), "allow");
        assert.equal(verdict(byPrincipal, worker), "deny");
        assert.equal(verdict(byPrincipal, web, api, 15008), "deny", "the rule names 8080, not the HBONE port");
        assert.equal(verdict(state(NOTHING, allowFrom({ principals: ["*"] })), alb), "deny", "* needs an authenticated identity");
        assert.equal(verdict(state(NOTHING, allowFrom({ notPrincipals: ["cluster.local/ns/citizen-portal/sa/django-web"] })), alb), "allow");
        assert.equal(verdict(state(NOTHING, allowFrom({ namespaces: [NS] })), worker), "allow");
        assert.equal(verdict(state(NOTHING, allowFrom({ namespaces: [NS] })), alb), "deny");
        assert.equal(verdict(state(NOTHING, allowFrom({ principals: ["*/sa/django-web"] })), web), "allow", "suffix match");
        assert.equal(verdict(state(NOTHING, allowFrom({ ipBlocks: ["10.10.128.0/24"] })), alb), "allow");
        assert.equal(verdict(state(NOTHING, allowFrom({ ipBlocks: ["10.10.128.0/24"], notIpBlocks: ["10.10.128.10"] })), alb), "deny");
    });

    it("STRICT refuses plaintext from outside the mesh; a workload's portLevelMtls PERMISSIVE opens that port only", () => {
        const open = allowFrom({ ipBlocks: ["10.10.128.0/24"] });
        const d = meshDecide(state(STRICT, NOTHING, open), alb, api, 8080);
        assert.equal(d.verdict, "deny");
        assert.match(d.rule, /PeerAuthentication citizen-portal\/default is STRICT, refuses plaintext from 10\.10\.128\.10/);
        const edge = pa("fastapi-api-edge", {
            selector: { matchLabels: { app: "fastapi-api" } },
            mtls: { mode: "STRICT" },
            portLevelMtls: { "8080": { mode: "PERMISSIVE" } },
        });
        assert.equal(verdict(state(STRICT, edge, NOTHING, open), alb), "allow");
        assert.equal(verdict(state(STRICT, edge, NOTHING, open), alb, api, 9090), "deny", "other ports stay STRICT");
        assert.equal(verdict(state(STRICT, edge, NOTHING, open), alb, site, 8080), "deny", "other workloads stay STRICT");
        // A namespace-wide policy's portLevelMtls is not honoured (model/mesh.ts), DISABLE is ignored in ambient, UNSET inherits.
        assert.equal(
            peerAuthenticationMode(state(pa("default", { mtls: { mode: "STRICT" }, portLevelMtls: { "8080": { mode: "PERMISSIVE" } } })), api, 8080).mode,
            "STRICT",
        );
        assert.equal(
            peerAuthenticationMode(state(STRICT, pa("w", { selector: { matchLabels: { app: "fastapi-api" } }, mtls: { mode: "DISABLE" } })), api, 8080).mode,
            "STRICT",
        );
        assert.equal(
            peerAuthenticationMode(state(STRICT, pa("w", { selector: { matchLabels: { app: "fastapi-api" } }, mtls: { mode: "UNSET" } })), api, 8080).mode,
            "STRICT",
        );
        assert.equal(peerAuthenticationMode(state(pa("mesh", { mtls: { mode: "STRICT" } }, "istio-system")), api, 8080).mode, "STRICT", "mesh-wide");
        assert.equal(peerAuthenticationMode(state(), api, 8080).mode, "PERMISSIVE", "Istio's default");
    });

    it("DENY before ALLOW, root-namespace policies apply mesh-wide, waypoint-bound policies and AUDIT do not decide", () => {
        const allowWeb = allowFrom({ principals: ["cluster.local/ns/citizen-portal/sa/django-web"] });
        const denyWeb = authz("deny-web", {
            action: "DENY",
            rules: [{ from: [{ source: { principals: ["cluster.local/ns/citizen-portal/sa/django-web"] } }] }],
        });
        assert.equal(verdict(state(NOTHING, allowWeb, denyWeb), web), "deny");
        assert.equal(verdict(state(NOTHING, allowWeb, { ...denyWeb, namespace: "istio-system" }), web), "deny");
        assert.equal(verdict(state(NOTHING, allowWeb, { ...denyWeb, namespace: "other" }), web), "allow");
        assert.equal(verdict(state(NOTHING, allowWeb, { ...denyWeb, spec: { ...denyWeb.spec, targetRefs: [{ kind: "Service", name: "x" }] } }), web), "allow");
        assert.equal(verdict(state(NOTHING, allowWeb, { ...denyWeb, spec: { ...denyWeb.spec, action: "AUDIT" } }), web), "allow");
        assert.equal(verdict(state(NOTHING, allowWeb, authz("deny-none", { action: "DENY" })), web), "allow", "a DENY without rules matches nothing");
    });

    it("a policy that needs L7 without a waypoint makes ztunnel drop every connection to the pod", () => {
        const l7 = authz("get-only", {
            selector: { matchLabels: { app: "fastapi-api" } },
            action: "ALLOW",
            rules: [{ to: [{ operation: { methods: ["GET"] } }] }],
        });
        const d = meshDecide(state(l7), web, api, 8080);
        assert.equal(d.verdict, "deny");
        assert.match(d.rule, /needs operation\.methods \(L7, no waypoint\)/);
    });

    it("Istio semantics: the FIRST ALLOW policy on a workload can block (it stops being unselected) — why the invariant below starts from allow-nothing", () => {
        assert.equal(verdict(state(), worker), "allow");
        assert.equal(verdict(state(allowFrom({ principals: ["cluster.local/ns/citizen-portal/sa/django-web"] })), worker), "deny");
    });

    it("the generated objects: django-web -> fastapi-api and the ALB -> the served ports pass; nothing else does", () => {
        const objects = meshObjects({ kind: "eks", albSourceCidrs: ["10.10.128.0/24"] });
        const generated: MeshState = {
            policies: objects.map((o) => ({ kind: o.kind as MeshPolicy["kind"], name: o.metadata.name, namespace: o.metadata.namespace, spec: o.spec })),
            ambientNamespaces: [NS],
        };
        assert.equal(verdict(generated, web), "allow");
        assert.equal(verdict(generated, alb), "allow");
        assert.equal(verdict(generated, alb, site, 8000), "allow");
        assert.equal(verdict(generated, internet, site, 8000), "deny");
        assert.equal(verdict(generated, worker), "deny");
        assert.equal(verdict(generated, web, { namespace: NS, labels: { app: "celery-worker" } }, 8000), "deny");
        assert.equal(verdict(generated, alb, { namespace: NS, labels: { app: "celery-worker" } }, 8000), "deny");
    });
});

// Properties over random L4 policy sets that, like the generated ones, start from STRICT and allow-nothing.
const APPS = ["django-web", "fastapi-api", "celery-worker"];
const SOURCES: MeshSource[] = [web, worker, alb, internet, { kind: "workload", namespace: "other", serviceAccount: "x", ip: "10.10.2.10" }];
const arbSource = fc.record(
    {
        principals: fc.subarray(["cluster.local/ns/citizen-portal/sa/django-web", "cluster.local/ns/citizen-portal/sa/celery-worker", "*"], { minLength: 1 }),
        namespaces: fc.subarray([NS, "other"], { minLength: 1 }),
        ipBlocks: fc.subarray(["10.10.0.0/16", "10.10.128.0/24", "198.51.100.0/24"], { minLength: 1 }),
        notIpBlocks: fc.subarray(["10.10.1.0/24", "198.51.100.77"], { minLength: 1 }),
    },
    { requiredKeys: [] },
);
const arbRule = fc.record({
    from: fc.array(fc.record({ source: arbSource }), { maxLength: 2 }),
    to: fc.array(fc.record({ operation: fc.record({ ports: fc.subarray(["8000", "8080"], { minLength: 1 }) }) }), { maxLength: 1 }),
});
const arbPolicy = (action: "ALLOW" | "DENY") =>
    fc
        .record({ app: fc.option(fc.constantFrom(...APPS), { nil: undefined }), rules: fc.array(arbRule, { maxLength: 3 }) })
        .map(({ app, rules }): MeshPolicy => authz(`p-${action}`, { ...(app ? { selector: { matchLabels: { app } } } : {}), action, rules }));
const arbState = fc
    .tuple(fc.array(arbPolicy("ALLOW"), { maxLength: 3 }), fc.array(arbPolicy("DENY"), { maxLength: 2 }), fc.boolean())
    .map(([allows, denies, edgeOpen]): MeshState => {
        const edge = pa("edge", {
            selector: { matchLabels: { app: "fastapi-api" } },
            mtls: { mode: "STRICT" },
            portLevelMtls: { "8080": { mode: "PERMISSIVE" } },
        });
        return state(STRICT, ...(edgeOpen ? [edge] : []), NOTHING, ...allows, ...denies);
    });
const arbCase = fc.record({ s: arbState, src: fc.constantFrom(...SOURCES), app: fc.constantFrom(...APPS), port: fc.constantFrom(8000, 8080) });

describe("model/reachabilityMesh: invariants", () => {
    it("property: with allow-nothing in place, adding an L4 ALLOW policy never blocks a connection that passed", () => {
        fc.assert(
            fc.property(arbCase, arbPolicy("ALLOW"), ({ s, src, app, port }, extra) => {
                const dst = { namespace: NS, labels: { app } };
                fc.pre(meshDecide(s, src, dst, port).verdict === "allow");
                assert.equal(meshDecide({ ...s, policies: [...s.policies, extra] }, src, dst, port).verdict, "allow");
            }),
        );
    });

    it("property: adding a DENY that matches the connection always blocks it", () => {
        fc.assert(
            fc.property(arbCase, fc.boolean(), ({ s, src, app, port }, byPort) => {
                const dst = { namespace: NS, labels: { app } };
                const rule = byPort ? { to: [{ operation: { ports: [String(port)] } }] } : { from: [{ source: { ipBlocks: [`${src.ip}/32`] } }] };
                const deny = authz("deny-it", { selector: { matchLabels: { app } }, action: "DENY", rules: [rule] });
                const d = meshDecide({ ...s, policies: [...s.policies, deny] }, src, dst, port);
                assert.equal(d.verdict, "deny", d.rule);
            }),
        );
    });
});
