/**
 * Identity and secrets (seed 4.1, 4.2): least-privilege IAM (trust policies scoped, no
 * wildcard admin grants) and no plaintext credentials in resource props.
 */
import { isWildcardPrincipal } from "./encryption";
import { Guardrail, T, UNKNOWN, asArray, isSet, parseJson, peek, resourceGuardrail } from "./lib";

export const roleTrust = resourceGuardrail({
    name: "iam-role-trust-scoped",
    description: "IAM role trust policies name their principals: no wildcard principal, and web-identity (IRSA) trusts pin the service account.",
    remediation: "Trust a named service (with aws:SourceAccount) or the cluster's OIDC provider with a StringEquals condition on <issuer>:sub = system:serviceaccount:<ns>:<name>.",
    concern: "identity",
    seed: "4.1",
    why: "IRSA gives each pod only its role; a trust without a :sub condition lets every service account in the cluster assume it.",
    types: [T.role],
    check: ({ props }, report) => {
        const raw = peek(() => props.assumeRolePolicy);
        if (raw === UNKNOWN) return;
        const doc = parseJson(raw);
        if (!doc) return report("assumeRolePolicy is not a JSON policy document");
        for (const s of asArray(doc.Statement as Record<string, any>[])) {
            if (s.Effect !== "Allow") continue;
            const id = s.Sid ?? "(no Sid)";
            if (isWildcardPrincipal(s.Principal)) report(`statement ${id} trusts Principal '*'`);
            if (s.Principal?.Federated !== undefined) {
                const conditions = JSON.stringify(s.Condition ?? {});
                if (!/:sub"/.test(conditions)) report(`statement ${id} trusts a web identity without a condition on its :sub claim`);
            }
        }
    },
});

function wildcardGrants(doc: Record<string, unknown> | undefined): string[] {
    const problems: string[] = [];
    for (const s of asArray((doc?.Statement ?? []) as Record<string, any>[])) {
        if (s.Effect !== "Allow") continue;
        const actions = asArray(s.Action as string[]);
        const resources = asArray(s.Resource as string[]);
        const id = s.Sid ?? "(no Sid)";
        if (actions.some((a) => a === "*" || a === "*:*")) problems.push(`statement ${id} allows every action`);
        else if (resources.includes("*") && actions.some((a) => /:\*$/.test(a))) problems.push(`statement ${id} allows ${actions.filter((a) => /:\*$/.test(a)).join(", ")} on every resource`);
        if (s.NotAction !== undefined) problems.push(`statement ${id} uses Allow with NotAction`);
    }
    return problems;
}

export const noWildcardAdmin = resourceGuardrail({
    name: "iam-no-wildcard-admin",
    description: "IAM policies grant no '*' action, and no service-wide 'svc:*' on every resource.",
    remediation: "List the actions the workload calls and scope Resource to the ARNs it touches (build the document from resource ARNs).",
    concern: "identity",
    seed: "4.1",
    why: "Seed 4.1: pods and services get the least privilege they need; wildcard grants turn one compromised pod into an account compromise.",
    types: [T.rolePolicy, T.iamPolicy],
    check: ({ props }, report) => {
        const raw = peek(() => props.policy);
        if (raw === UNKNOWN) return;
        for (const problem of wildcardGrants(parseJson(raw))) report(problem);
    },
});

/** Props that carry a credential in clear text in the program and the state. */
const PASSWORD_PROPS: Record<string, string[]> = {
    [T.rds]: ["password", "passwordWo"],
    [T.rdsCluster]: ["masterPassword", "masterPasswordWo"],
    [T.opensearch]: [],
};

export const noPlaintextPasswords = resourceGuardrail({
    name: "no-plaintext-passwords",
    description: "Database master passwords are managed by Secrets Manager, never passed as props.",
    remediation: "Set manageMasterUserPassword: true (with masterUserSecretKmsKeyId) instead of password; OpenSearch: use IAM master user ARN, not a master password.",
    concern: "identity",
    seed: "4.2",
    why: "Seed 4.2: no hardcoded credentials; a password prop lands in the program, the state file and the plan.",
    types: [T.rds, T.rdsCluster, T.opensearch],
    check: ({ type, props }, report) => {
        for (const key of PASSWORD_PROPS[type] ?? []) if (isSet(props, key)) report(`${key} is set; use manageMasterUserPassword`);
        if (type === T.opensearch) {
            const master = peek(() => props.advancedSecurityOptions?.masterUserOptions);
            if (master !== UNKNOWN && master && isSet(master, "masterUserPassword")) report("advancedSecurityOptions.masterUserOptions.masterUserPassword is set; use masterUserArn");
            return;
        }
        const replica = isSet(props, "replicateSourceDb") || isSet(props, "replicationSourceIdentifier") || isSet(props, "snapshotIdentifier");
        if (!replica && props.manageMasterUserPassword !== true) report("manageMasterUserPassword is not true");
    },
});

export const identityPolicies: Guardrail[] = [roleTrust, noWildcardAdmin, noPlaintextPasswords];
