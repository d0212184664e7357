/**
 * Kubernetes workloads (seed 1.2, 4.1, 4.2): hardened pods with resources and probes,
 * no secret literals in the environment.
 */
import { podTemplate } from "./availability";
import { Guardrail, UNKNOWN, WORKLOADS, asArray, peek, resourceGuardrail, stackGuardrail } from "./lib";

type Container = Record<string, any>;

export function containersOf(r: { type: string; props: Record<string, any> }): { pod: Record<string, any>; containers: Container[] } {
    const spec = (podTemplate(r)?.spec ?? {}) as Record<string, any>;
    return { pod: spec, containers: [...asArray(spec.initContainers as Container[]), ...asArray(spec.containers as Container[])] };
}

export const podHardening = resourceGuardrail({
    name: "k8s-pod-hardening",
    description: "Containers run as non-root, unprivileged, without privilege escalation, with a read-only root filesystem.",
    remediation:
        "Set securityContext { runAsNonRoot: true, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities.drop ['ALL'] } (emptyDir for /tmp).",
    concern: "kubernetes-workloads",
    seed: "4.1, 4.3",
    why: "Zero trust inside the cluster: a compromised Django or Celery process must not own the node.",
    types: WORKLOADS,
    check: (r, report) => {
        const { pod, containers } = containersOf(r);
        const podNonRoot = pod.securityContext?.runAsNonRoot === true;
        for (const c of containers) {
            const sc = (c.securityContext ?? {}) as Record<string, any>;
            const name = c.name ?? "?";
            if (!(podNonRoot || sc.runAsNonRoot === true) || sc.runAsUser === 0) report(`container ${name} may run as root (runAsNonRoot not true)`);
            if (sc.privileged === true) report(`container ${name} is privileged`);
            if (sc.allowPrivilegeEscalation !== false) report(`container ${name}: allowPrivilegeEscalation is not false`);
            if (sc.readOnlyRootFilesystem !== true) report(`container ${name}: readOnlyRootFilesystem is not true`);
        }
        if (pod.hostNetwork === true || pod.hostPID === true || pod.hostIPC === true) report("the pod shares host namespaces");
    },
});

export const podResources = resourceGuardrail({
    name: "k8s-resources-and-probes",
    description: "Containers declare CPU and memory requests and limits, and long-running ones readiness and liveness probes.",
    remediation:
        "Set resources.requests and resources.limits (cpu, memory) from the capacity plan (seed 7: 0.5 vCPU, 1 GiB per backend pod) and readinessProbe/livenessProbe.",
    concern: "kubernetes-workloads",
    seed: "2, 7",
    why: "HPA scales on requests; without probes the load balancer keeps sending traffic to a dead pod (seed 2: health checks remove failed nodes).",
    types: WORKLOADS,
    check: (r, report) => {
        const { pod, containers } = containersOf(r);
        const longRunning = !["kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"].includes(r.type);
        const init = new Set(asArray(pod.initContainers as Container[]));
        for (const c of containers) {
            const name = c.name ?? "?";
            for (const kind of ["requests", "limits"]) {
                for (const res of ["cpu", "memory"])
                    if (c.resources?.[kind]?.[res] === undefined) report(`container ${name}: resources.${kind}.${res} is not set`);
            }
            if (longRunning && !init.has(c)) {
                if (!c.readinessProbe) report(`container ${name} has no readinessProbe`);
                if (!c.livenessProbe) report(`container ${name} has no livenessProbe`);
            }
        }
    },
});

const SECRETISH = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|DSN|DATABASE_URL|ACCESS_KEY)/i;
/** Names that point at a secret rather than hold one (a mounted file, an ARN, a secret's name). */
const REFERENCE = /_(FILE|PATH|DIR|ARN|NAME|ID|REF|REGION)$/i;
const isSecretish = (name: unknown) => SECRETISH.test(String(name)) && !REFERENCE.test(String(name));

export const noSecretLiterals = resourceGuardrail({
    name: "k8s-no-secret-literals",
    description: "Container environment variables that look like credentials come from Secrets (valueFrom), never literals.",
    remediation: "Use env[].valueFrom.secretKeyRef (synced from Secrets Manager, e.g. External Secrets) or IRSA instead of a literal value.",
    concern: "identity",
    seed: "4.2",
    why: "Seed 4.2: no hardcoded credentials; literal env values end up in the manifest, the state and `kubectl describe`.",
    types: WORKLOADS,
    check: (r, report) => {
        for (const c of containersOf(r).containers) {
            for (const e of asArray(c.env as Record<string, any>[])) {
                const value = peek(() => e.value);
                if (isSecretish(e.name) && value !== undefined && value !== UNKNOWN && value !== "")
                    report(`container ${c.name ?? "?"}: env ${e.name} is a literal; use valueFrom.secretKeyRef`);
                else if (value === UNKNOWN && isSecretish(e.name))
                    report(`container ${c.name ?? "?"}: env ${e.name} is set from a program value; use valueFrom.secretKeyRef`);
            }
        }
    },
});

export const workloadPolicies: Guardrail[] = [podHardening, podResources, noSecretLiterals];

// ---------------------------------------------------------------------------------------------
// issue #11 (build 4): pod settings the program already sets, now guarded by the pack too
// ---------------------------------------------------------------------------------------------

const SECCOMP_CONFINED = ["RuntimeDefault", "Localhost"];

export const podRestrictedProfile = resourceGuardrail({
    name: "k8s-pod-restricted-profile",
    description:
        "Pods meet the Kubernetes 'restricted' profile's remaining rules: every container drops ALL capabilities, runs under a RuntimeDefault/Localhost seccomp profile, and the pod mounts no API token.",
    remediation:
        "Set each container's securityContext.capabilities.drop ['ALL'] (add back only NET_BIND_SERVICE), seccompProfile { type: 'RuntimeDefault' } on the pod or every container, and the pod's automountServiceAccountToken: false (IRSA's web-identity token is projected separately).",
    concern: "kubernetes-workloads",
    seed: "4.1, 4.3",
    why: "Capabilities and unconfined syscalls are how a compromised process escapes its container, and a mounted token lets it call the Kubernetes API as the service account (Kubernetes 'Pod Security Standards: Restricted', https://kubernetes.io/docs/concepts/security/pod-security-standards/; EKS best practices 'Pod security', https://docs.aws.amazon.com/eks/latest/best-practices/pod-security.html).",
    types: WORKLOADS,
    check: (r, report) => {
        const { pod, containers } = containersOf(r);
        const podSeccomp = pod.securityContext?.seccompProfile?.type;
        for (const c of containers) {
            const sc = (c.securityContext ?? {}) as Record<string, any>;
            const name = c.name ?? "?";
            const drop = asArray(sc.capabilities?.drop as string[] | undefined);
            if (!drop.includes("ALL")) report(`container ${name}: capabilities.drop does not include ALL`);
            const added = asArray(sc.capabilities?.add as string[] | undefined).filter((cap) => cap !== "NET_BIND_SERVICE");
            if (added.length > 0) report(`container ${name}: adds capabilities ${added.join(", ")}`);
            const seccomp = sc.seccompProfile?.type ?? podSeccomp;
            if (!SECCOMP_CONFINED.includes(seccomp)) report(`container ${name}: seccompProfile ${JSON.stringify(seccomp ?? "(unset: Unconfined)")}`);
        }
        const automount = peek(() => pod.automountServiceAccountToken);
        if (automount !== UNKNOWN && automount !== false) report("automountServiceAccountToken is not false: the pod carries a Kubernetes API token");
    },
});

workloadPolicies.push(podRestrictedProfile);

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const PSA_ENFORCE = "pod-security.kubernetes.io/enforce";

/** A NetworkPolicy that selects every pod of its namespace and allows nothing in either direction. */
function isDefaultDeny(spec: Record<string, any> | undefined): boolean {
    const selector = (spec?.podSelector ?? {}) as Record<string, unknown>;
    const empty = (v: unknown) => v === undefined || v === null || (typeof v === "object" && Object.keys(v).length === 0);
    const selectsAll = empty(selector.matchLabels) && empty(selector.matchExpressions);
    const types = asArray(spec?.policyTypes as string[] | undefined);
    return selectsAll && types.includes("Ingress") && types.includes("Egress") && asArray(spec?.ingress).length === 0 && asArray(spec?.egress).length === 0;
}

export const namespaceIsolation = stackGuardrail({
    name: "k8s-namespace-isolation",
    description:
        "Every namespace that runs workloads has a default-deny NetworkPolicy (ingress and egress), and a namespace the stack declares enforces the 'restricted' Pod Security Standard.",
    remediation:
        "Add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] (no rules) in the namespace, then allow each flow explicitly; label the Namespace pod-security.kubernetes.io/enforce: restricted.",
    concern: "kubernetes-workloads",
    seed: "4.1, 4.3",
    why: "Zero trust in the cluster: without a default deny every pod reaches every other and the internet, and without Pod Security Admission a pod spec that slips past review runs privileged (Kubernetes 'Network Policies: default deny all', https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies; 'Pod Security Admission', https://kubernetes.io/docs/concepts/security/pod-security-admission/).",
    types: [...WORKLOADS, NETWORK_POLICY, NAMESPACE],
    check: ({ graph }, report) => {
        const namespaceOf = (r: { props: Record<string, any> }) => (peek(() => r.props.metadata?.namespace) as string | undefined) ?? "default";
        const workloads = new Map<string, string>();
        for (const w of graph.ofType(...WORKLOADS)) {
            const ns = namespaceOf(w);
            if (typeof ns === "string" && !workloads.has(ns)) workloads.set(ns, w.urn);
        }
        const denied = new Set(
            graph
                .ofType(NETWORK_POLICY)
                .filter((p) => isDefaultDeny(peek(() => p.props.spec) as Record<string, any>))
                .map(namespaceOf),
        );
        const declared = new Map(graph.ofType(NAMESPACE).map((n) => [peek(() => n.props.metadata?.name) as string, n]));
        for (const [ns, urn] of workloads) {
            if (!denied.has(ns)) report(`namespace ${ns} runs workloads without a default-deny NetworkPolicy`, urn);
            const namespace = declared.get(ns);
            const level = namespace ? peek(() => namespace.props.metadata?.labels?.[PSA_ENFORCE]) : undefined;
            if (namespace && level !== UNKNOWN && level !== "restricted")
                report(`namespace ${ns}: ${PSA_ENFORCE} is ${JSON.stringify(level ?? "(unset: privileged)")}, not "restricted"`, namespace.urn);
        }
    },
});

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

export const secretsStoreNoSync = resourceGuardrail({
    name: "secrets-store-no-k8s-secret-sync",
    description: "The Secrets Store CSI driver mounts secrets as files only (no sync into Kubernetes Secrets) and re-reads them after rotation.",
    remediation: "In the secrets-store-csi-driver release set values.syncSecret.enabled: false and values.enableSecretRotation: true.",
    concern: "kubernetes-workloads",
    seed: "4.2",
    why: "Synced Kubernetes Secrets copy Secrets Manager values into etcd, readable by anyone with get on secrets; without rotation polling a rotated database password breaks the pods until they restart (AWS 'Use AWS Secrets Manager secrets in Amazon EKS', https://docs.aws.amazon.com/secretsmanager/latest/userguide/integrating_ascp_eks.html; Secrets Store CSI Driver 'Secret auto rotation', https://secrets-store-csi-driver.sigs.k8s.io/topics/secret-auto-rotation).",
    types: [HELM_RELEASE],
    check: ({ props }, report) => {
        if (peek(() => props.chart) !== "secrets-store-csi-driver") return;
        const values = peek(() => props.values as Record<string, any> | undefined);
        if (values === UNKNOWN) return;
        if (values?.syncSecret?.enabled === true) report("values.syncSecret.enabled is true: secrets are copied into Kubernetes Secrets (etcd)");
        if (values?.enableSecretRotation !== true) report("values.enableSecretRotation is not true: rotated secrets are not re-read");
    },
});

workloadPolicies.push(namespaceIsolation, secretsStoreNoSync);

// ---------------------------------------------------------------------------------------------
// issue #12: mutual TLS between the services (Istio ambient, model/mesh.ts)
// ---------------------------------------------------------------------------------------------

const PEER_AUTHENTICATION = "kubernetes:security.istio.io/v1:PeerAuthentication";
const AUTHORIZATION_POLICY = "kubernetes:security.istio.io/v1:AuthorizationPolicy";
const AMBIENT_LABEL = "istio.io/dataplane-mode";

/**
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/ ("STRICT mode is useful to ensure that
 *      connections that bypass the mesh are not possible"; ambient: a namespace without the label is not in the mesh)
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/ (allow-nothing)
 */
export const meshStrictMtls = stackGuardrail({
    name: "mesh-strict-mtls",
    description:
        "A namespace the stack declares with workloads is enrolled in the Istio ambient mesh, has a namespace-wide STRICT PeerAuthentication and an allow-nothing AuthorizationPolicy; no PeerAuthentication there weakens a workload or port to DISABLE, or a whole workload to PERMISSIVE.",
    remediation:
        "Label the Namespace istio.io/dataplane-mode: ambient and create the objects of model/mesh.ts meshObjects (PeerAuthentication 'default' with mtls.mode STRICT, AuthorizationPolicy 'allow-nothing' with spec {}); relax only an edge port with portLevelMtls PERMISSIVE.",
    concern: "kubernetes-workloads",
    seed: "4.2, 4.3, issue #12",
    why: "Seed 4.3: no perimeter trust, every connection authenticated and authorized. Without STRICT a pod accepts plaintext from anything the NetworkPolicies admit; without the ambient label the PeerAuthentication applies to nothing; without allow-nothing a workload no ALLOW policy selects accepts every caller (Istio PeerAuthentication and AuthorizationPolicy references).",
    types: [...WORKLOADS, NAMESPACE, PEER_AUTHENTICATION, AUTHORIZATION_POLICY],
    check: ({ graph }, report) => {
        const namespaceOf = (r: { props: Record<string, any> }) => (peek(() => r.props.metadata?.namespace) as string | undefined) ?? "default";
        const declared = new Map(graph.ofType(NAMESPACE).map((n) => [peek(() => n.props.metadata?.name), n]));
        const meshed = new Set<unknown>();
        for (const w of graph.ofType(...WORKLOADS)) {
            const ns = namespaceOf(w);
            const namespace = declared.get(ns);
            if (!namespace || meshed.has(ns)) continue;
            meshed.add(ns);
            const label = peek(() => namespace.props.metadata?.labels?.[AMBIENT_LABEL]);
            if (label !== UNKNOWN && label !== "ambient")
                report(
                    `namespace ${ns}: ${AMBIENT_LABEL} is ${JSON.stringify(label ?? "(unset)")}, not "ambient": its pods are not in the mesh`,
                    namespace.urn,
                );
            // In preview a namespace taken from the Namespace's output is unknown: join by the URN dependency then.
            const inNs = (r: { props: Record<string, any>; propertyDependencies: Record<string, { urn: string }[]> }) => {
                const own = peek(() => r.props.metadata?.namespace);
                return own === ns || (own === UNKNOWN && (r.propertyDependencies.metadata ?? []).some((d) => d.urn === namespace.urn));
            };
            const peers = graph.ofType(PEER_AUTHENTICATION).filter(inNs);
            const spec = (p: { props: Record<string, any> }) => peek(() => p.props.spec) as Record<string, any> | typeof UNKNOWN | undefined;
            const wide = peers.filter((p) => {
                const s = spec(p);
                return s !== UNKNOWN && (s?.selector === undefined || Object.keys(s.selector?.matchLabels ?? {}).length === 0);
            });
            if (!peers.some((p) => spec(p) === UNKNOWN) && !wide.some((p) => (spec(p) as Record<string, any>)?.mtls?.mode === "STRICT"))
                report(`namespace ${ns} has no namespace-wide PeerAuthentication with mtls.mode STRICT`, namespace.urn);
            for (const p of peers) {
                const s = spec(p);
                if (s === UNKNOWN || s === undefined) continue;
                const mode = s.mtls?.mode;
                if (mode !== undefined && mode !== "STRICT" && mode !== "UNSET") report(`PeerAuthentication ${p.name}: mtls.mode ${mode}`, p.urn);
                for (const [port, setting] of Object.entries((s.portLevelMtls ?? {}) as Record<string, any>))
                    if (setting?.mode === "DISABLE") report(`PeerAuthentication ${p.name}: port ${port} mtls.mode DISABLE`, p.urn);
            }
            const authz = graph.ofType(AUTHORIZATION_POLICY).filter(inNs);
            const allowNothing = authz.some((a) => {
                const s = peek(() => a.props.spec);
                return s === UNKNOWN || (s !== undefined && Object.keys(s as object).length === 0);
            });
            if (!allowNothing)
                report(`namespace ${ns} has no allow-nothing AuthorizationPolicy (spec {}): unselected workloads accept every caller`, namespace.urn);
        }
    },
});

workloadPolicies.push(meshStrictMtls);
