/**
 * Kubernetes RBAC for the people and pipelines on the portal clusters (seed 4.1, least privilege):
 * read-only operators without Secrets, and a namespaced CI deployer that rolls images but cannot
 * touch RBAC or Secrets. The groups are the ones the EKS access entries map IAM roles to. Pure.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */

/** Kubernetes group of the read-only operators (EKS access entry of the operators' IAM role). */
export const OPERATOR_GROUP = "portal-operators";
/** Kubernetes group of the CI deployer (EKS access entry of the CI role). */
export const DEPLOYER_GROUP = "portal-deployers";
export const OPERATOR_ROLE = "portal-operator-readonly";
export const DEPLOYER_ROLE = "portal-ci-deployer";

export const READ_VERBS = ["get", "list", "watch"];

export interface PolicyRule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
}

/** Cluster-wide reads of what operators diagnose with; Secrets are deliberately absent. */
export function operatorRules(): PolicyRule[] {
    return [
        { apiGroups: [""], resources: ["pods", "pods/log", "services", "endpoints", "events", "namespaces", "nodes", "configmaps"], verbs: [...READ_VERBS] },
        { apiGroups: ["apps"], resources: ["deployments", "replicasets", "daemonsets", "statefulsets"], verbs: [...READ_VERBS] },
        { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: [...READ_VERBS] },
        { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: [...READ_VERBS] },
        { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies", "ingresses"], verbs: [...READ_VERBS] },
    ];
}

/** In the portal namespace: patch Deployments (image roll-outs) and watch them roll; nothing else is writable. */
export function deployerRules(): PolicyRule[] {
    return [
        { apiGroups: ["apps"], resources: ["deployments"], verbs: [...READ_VERBS, "patch", "update"] },
        { apiGroups: ["apps"], resources: ["replicasets"], verbs: [...READ_VERBS] },
        { apiGroups: [""], resources: ["pods", "pods/log", "services", "events"], verbs: [...READ_VERBS] },
        { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: [...READ_VERBS] },
    ];
}

/** roleRef and subjects binding a (Cluster)Role to one Kubernetes group. */
export function groupBinding<V>(kind: "ClusterRole" | "Role", roleName: V, group: string) {
    return {
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind, name: roleName },
        subjects: [{ kind: "Group", name: group, apiGroup: "rbac.authorization.k8s.io" }],
    };
}
