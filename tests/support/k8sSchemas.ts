/**
 * Validation of the plans' Kubernetes objects against what the API server checks (issue #12 acceptance: "Kubernetes
 * objects validate against their schemas").
 *
 * - Istio PeerAuthentication / AuthorizationPolicy: the CRDs' published OpenAPI schema (schemas/istio-security-v1.json,
 *   Istio 1.31) with ajv, plus what a structural schema means to the API server that ajv does not know: an undeclared
 *   field is pruned (silently dropped, or refused under strict field validation), and every `x-kubernetes-validations`
 *   CEL rule is evaluated here by its own implementation (an unknown rule fails the compile, so a schema refresh cannot
 *   skip one unnoticed).
 * - NetworkPolicy: the Kubernetes OpenAPI (kubernetes-models, generated from it), plus the API server's own validation,
 *   which the OpenAPI does not carry: ports 1-65535, endPort only with a numeric port and not below it, an ipBlock's cidr
 *   a CIDR and each except inside it, an ipBlock alone in its peer, selector operators with or without values. The
 *   `@pulumi/kubernetes` input types constrain only the shape at compile time, and only where the value is typed: the
 *   plan's values are what the API server receives.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules
 */
import Ajv, { ValidateFunction } from "ajv";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { parseCidr } from "../../model/cidr";
import schemas from "./schemas/istio-security-v1.json";

type Json = Record<string, any>;
const has = (o: unknown, k: string) => o !== null && typeof o === "object" && (o as Json)[k] !== undefined;

/** The CEL rules of the schema, each implemented as the API server evaluates it (`self` is the value the rule sits on). */
const CEL: Record<string, (self: any) => boolean> = {
    "(has(self.serviceAccounts) || has(self.notServiceAccounts)) ? (!has(self.principals) && !has(self.notPrincipals) && !has(self.namespaces) && !has(self.notNamespaces)) : true":
        (s) =>
            !(has(s, "serviceAccounts") || has(s, "notServiceAccounts")) ||
            !["principals", "notPrincipals", "namespaces", "notNamespaces"].some((k) => has(s, k)),
    '!self.contains("*")': (s) => !String(s).includes("*"),
    'self.all(key, !key.contains("*"))': (s) => Object.keys(s).every((k) => !k.includes("*")),
    "self.all(key, key.size() != 0)": (s) => Object.keys(s).every((k) => k.length !== 0),
    "self.size() == 0": (s) => String(s).length === 0,
    "(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1": (s) =>
        ["selector", "targetRef", "targetRefs"].filter((k) => has(s, k)).length <= 1,
    "self.all(key, 0 < int(key) && int(key) <= 65535)": (s) => Object.keys(s).every((k) => /^-?\d+$/.test(k) && Number(k) > 0 && Number(k) <= 65535),
    "has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? self.selector.matchLabels : {}).size() > 0) : true": (s) =>
        !has(s, "portLevelMtls") || Object.keys(s.selector?.matchLabels ?? {}).length > 0,
};
const normalise = (rule: string) => rule.replace(/\s+/g, " ").replace(/\( /g, "(").trim();

/** A structural schema's pruning, made an error: every object with declared properties admits only those. */
function closed(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(closed);
    if (schema === null || typeof schema !== "object") return schema;
    const s = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "x-kubernetes-validations" ? v : closed(v)])) as Json;
    if (s.properties && s.additionalProperties === undefined && !s["x-kubernetes-preserve-unknown-fields"]) s.additionalProperties = false;
    return s;
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addKeyword({
    keyword: "x-kubernetes-validations",
    errors: true,
    compile(rules: { rule: string; message: string }[]) {
        const checks = rules.map((r) => {
            const impl = CEL[normalise(r.rule)];
            if (!impl) throw new Error(`x-kubernetes-validations rule without an implementation in tests/support/k8sSchemas.ts: ${r.rule}`);
            return { impl, message: r.message };
        });
        const validate = (data: unknown): boolean => {
            const failed = checks.filter((c) => !c.impl(data));
            (validate as unknown as { errors: unknown[] }).errors = failed.map((c) => ({
                keyword: "x-kubernetes-validations",
                message: c.message,
                params: {},
            }));
            return failed.length === 0;
        };
        return validate;
    },
});

export type IstioKind = "PeerAuthentication" | "AuthorizationPolicy";
const validators: Record<IstioKind, ValidateFunction> = {
    PeerAuthentication: ajv.compile(closed(schemas.PeerAuthentication) as object),
    AuthorizationPolicy: ajv.compile(closed(schemas.AuthorizationPolicy) as object),
};

/** What the API server would refuse (or silently drop) in an Istio security object's spec; [] when it is valid. */
export function istioSpecProblems(kind: IstioKind, spec: unknown): string[] {
    const validate = validators[kind];
    if (validate(spec)) return [];
    return (validate.errors ?? []).map((e) =>
        e.keyword === "additionalProperties"
            ? `spec${e.instancePath}: field ${JSON.stringify(e.params.additionalProperty)} is not declared in the CRD schema (pruned)`
            : `spec${e.instancePath}: ${e.message}`,
    );
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const inside = (inner: string, outer: string) => {
    const [i, o] = [parseCidr(inner), parseCidr(outer)];
    if (!i || !o || i.prefix <= o.prefix) return false;
    const block = 2 ** (32 - o.prefix);
    return Math.floor(i.base / block) === Math.floor(o.base / block);
};

/** The API server's NetworkPolicy validation beyond the OpenAPI types. */
function networkPolicyApiProblems(spec: Json): string[] {
    const p: string[] = [];
    for (const t of spec.policyTypes ?? []) if (!["Ingress", "Egress"].includes(t)) p.push(`policyTypes: ${t}`);
    const selector = (s: Json | undefined, where: string) => {
        for (const e of s?.matchExpressions ?? []) {
            const needsValues = e.operator === "In" || e.operator === "NotIn";
            if (!["In", "NotIn", "Exists", "DoesNotExist"].includes(e.operator)) p.push(`${where}: operator ${e.operator}`);
            else if (needsValues !== (e.values ?? []).length > 0) p.push(`${where}: ${e.operator} ${needsValues ? "needs" : "takes no"} values`);
        }
    };
    selector(spec.podSelector, "podSelector");
    const rules = [...(spec.ingress ?? []).map((r: Json) => [r, r.from, "ingress"]), ...(spec.egress ?? []).map((r: Json) => [r, r.to, "egress"])];
    for (const [rule, peers, where] of rules as [Json, Json[] | undefined, string][]) {
        for (const port of rule.ports ?? []) {
            const numeric = typeof port.port === "number";
            if (numeric && (port.port < 1 || port.port > 65535)) p.push(`${where} port ${port.port}: not 1-65535`);
            if (typeof port.port === "string" && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.port)) p.push(`${where} port ${port.port}: not a port name`);
            if (port.endPort !== undefined && (!numeric || port.endPort < port.port || port.endPort > 65535))
                p.push(`${where} endPort ${port.endPort}: needs a numeric port <= endPort <= 65535`);
        }
        for (const peer of peers ?? []) {
            const fields = ["ipBlock", "namespaceSelector", "podSelector"].filter((k) => peer[k] !== undefined);
            if (fields.length === 0) p.push(`${where} peer: no field set`);
            if (peer.ipBlock && fields.length > 1) p.push(`${where} peer: ipBlock with a selector`);
            if (peer.ipBlock && !parseCidr(peer.ipBlock.cidr)) p.push(`${where} ipBlock ${peer.ipBlock.cidr}: not a CIDR`);
            for (const e of peer.ipBlock?.except ?? []) if (!inside(e, peer.ipBlock.cidr)) p.push(`${where} except ${e}: not inside ${peer.ipBlock.cidr}`);
            selector(peer.podSelector, `${where} podSelector`);
            selector(peer.namespaceSelector, `${where} namespaceSelector`);
        }
    }
    return p;
}

/** What the API server would refuse in a NetworkPolicy (its OpenAPI schema, then its own validation); [] when valid. */
export function networkPolicyProblems(object: { metadata: Json; spec: Json }): string[] {
    const problems: string[] = [];
    if (!DNS_LABEL.test(String(object.metadata.name)) || String(object.metadata.name).length > 253) problems.push(`metadata.name ${object.metadata.name}`);
    try {
        new NetworkPolicy(object as ConstructorParameters<typeof NetworkPolicy>[0]).validate();
    } catch (e) {
        problems.push(`OpenAPI: ${(e as Error).message}`);
    }
    return [...problems, ...networkPolicyApiProblems(object.spec)];
}
