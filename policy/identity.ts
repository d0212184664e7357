/**
 * Identity and secrets (seed 4.1, 4.2): least-privilege IAM (trust policies scoped, no
 * wildcard admin grants) and no plaintext credentials in resource props.
 */
import { isWildcardPrincipal } from "./encryption";
import { Guardrail, T, UNKNOWN, asArray, isSet, label, parseJson, peek, resourceGuardrail, stackGuardrail } from "./lib";

export const roleTrust = resourceGuardrail({
    name: "iam-role-trust-scoped",
    description:
        "IAM role trust policies name their principals: no wildcard principal, web-identity (IRSA) trusts pin the service account, and GitHub OIDC trusts pin aud and one repository's subject with StringEquals.",
    remediation:
        "Trust a named service (with aws:SourceAccount) or the cluster's OIDC provider with a StringEquals condition on <issuer>:sub = system:serviceaccount:<ns>:<name>; a GitHub OIDC trust: StringEquals token.actions.githubusercontent.com:aud = sts.amazonaws.com and :sub = repo:<org>/<repo>:environment:<env> (or :pull_request, :ref:refs/heads/<branch>).",
    concern: "identity",
    seed: "4.1",
    why: "IRSA gives each pod only its role; a trust without a :sub condition lets every service account in the cluster assume it. GitHub's issuer signs tokens for every repository on GitHub: without a pinned sub, any workflow anywhere (or any branch or fork PR of the organisation, with a wildcard) gets the role.",
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
                if (isGithubTrust(s)) for (const problem of githubSubjectProblems(s.Condition ?? {})) report(`statement ${id} ${problem}`);
                else if (!/:sub"/.test(conditions)) report(`statement ${id} trusts a web identity without a condition on its :sub claim`);
            }
        }
    },
});

/** GitHub Actions' OIDC issuer: its condition keys are `<host>:aud` and `<host>:sub`. */
const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** A statement trusting GitHub's OIDC provider (its ARN ends with the issuer host; in preview it may be unknown, the condition keys still say). */
function isGithubTrust(s: Record<string, any>): boolean {
    const federated = peek(() => s.Principal.Federated);
    return (typeof federated === "string" && federated.endsWith(`/${GITHUB_OIDC_HOST}`)) || JSON.stringify(s.Condition ?? {}).includes(`"${GITHUB_OIDC_HOST}:`);
}

/**
 * What leaves a GitHub OIDC trust open: `sub` not pinned with StringEquals (missing, or under StringLike / a
 * ForAnyValue operator), a subject with a wildcard (`repo:<org>/*`, `...:ref:*`), or `aud` not sts.amazonaws.com.
 * Every workflow of every repository on GitHub gets a token from this issuer: only the subject says whose it is.
 * @see https://docs.github.com/en/actions/reference/openid-connect-reference#subject-claims
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
function githubSubjectProblems(condition: Record<string, Record<string, unknown>>): string[] {
    const problems: string[] = [];
    const subKey = `${GITHUB_OIDC_HOST}:sub`;
    const audKey = `${GITHUB_OIDC_HOST}:aud`;
    for (const [operator, keys] of Object.entries(condition))
        if (operator !== "StringEquals" && keys && subKey in keys) problems.push(`matches GitHub's ${subKey} with ${operator} (pin it with StringEquals)`);
    const pinned = condition.StringEquals?.[subKey];
    if (pinned === undefined) problems.push(`trusts GitHub Actions without pinning ${subKey} with StringEquals (any repository's workflow could assume it)`);
    for (const subject of asArray(pinned as string[]))
        if (typeof subject !== "string" || /[*?]/.test(subject) || !/^repo:[^/:]+\/[^/:]+:/.test(subject))
            problems.push(`trusts the GitHub subject ${JSON.stringify(subject)}: name one repository and its environment, pull_request or ref, no wildcard`);
    const aud = condition.StringEquals?.[audKey];
    if (aud !== "sts.amazonaws.com") problems.push(`does not pin ${audKey} to sts.amazonaws.com`);
    return problems;
}

function wildcardGrants(doc: Record<string, unknown> | undefined): string[] {
    const problems: string[] = [];
    for (const s of asArray((doc?.Statement ?? []) as Record<string, any>[])) {
        if (s.Effect !== "Allow") continue;
        const actions = asArray(s.Action as string[]);
        const resources = asArray(s.Resource as string[]);
        const id = s.Sid ?? "(no Sid)";
        if (actions.some((a) => a === "*" || a === "*:*")) problems.push(`statement ${id} allows every action`);
        else if (resources.includes("*") && actions.some((a) => /:\*$/.test(a)))
            problems.push(`statement ${id} allows ${actions.filter((a) => /:\*$/.test(a)).join(", ")} on every resource`);
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

/** Props whose credential the provider keeps in the resource's state outputs on every update (write-only props are never read back). */
const PASSWORD_PROPS: Record<string, string[]> = {
    [T.rds]: ["password"],
    [T.rdsCluster]: ["masterPassword"],
    [T.opensearch]: [],
};

/** Write-only password props (sent to the cloud API, never read back or kept in outputs) and their version props. */
const WRITE_ONLY_PASSWORD: Record<string, { value: string; version: string }> = {
    [T.rds]: { value: "passwordWo", version: "passwordWoVersion" },
    [T.rdsCluster]: { value: "masterPasswordWo", version: "masterPasswordWoVersion" },
};

/** Tag by which a database without a password of its own (e.g. a promoted cross-region replica) names the secret holding the inherited one. */
export const MASTER_CREDENTIAL_TAG = "hybrid-platform/master-credential";

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+/;

export const noPlaintextPasswords = stackGuardrail({
    name: "no-plaintext-passwords",
    description: "Database master passwords are generated and kept in Secrets Manager, never written in the program nor carried in resource outputs.",
    remediation:
        "Pass a random.RandomPassword result as passwordWo (with passwordWoVersion) and store it in a Secrets Manager secret (SecretVersion secretStringWo), or set manageMasterUserPassword: true; a database that inherits its password (promoted replica) tags " +
        `${MASTER_CREDENTIAL_TAG} with the secret's ARN. OpenSearch: use an IAM master user ARN, not a master password.`,
    concern: "identity",
    seed: "4.2",
    why: "Seed 4.2: no hardcoded credentials; a password prop lands in the program and in every state snapshot, and a password nobody stored cannot be rotated or used in a failover.",
    types: [T.rds, T.rdsCluster, T.opensearch, T.secretVersion, T.randomPassword],
    check: ({ graph }, report) => {
        for (const domain of graph.ofType(T.opensearch)) {
            const master = peek(() => domain.props.advancedSecurityOptions?.masterUserOptions);
            if (master !== UNKNOWN && master && isSet(master, "masterUserPassword"))
                report("advancedSecurityOptions.masterUserOptions.masterUserPassword is set; use masterUserArn", domain.urn);
        }
        // Generated passwords that a Secrets Manager secret version receives.
        const stored = new Set(
            graph
                .ofType(T.secretVersion)
                .flatMap((v) => [...graph.refs(v, "secretStringWo", T.randomPassword), ...graph.refs(v, "secretString", T.randomPassword)]),
        );
        for (const db of graph.ofType(T.rds, T.rdsCluster)) {
            const what = label(db);
            for (const key of PASSWORD_PROPS[db.type])
                if (isSet(db.props, key))
                    report(
                        `${what}: ${key} is set (kept in the state outputs); use a write-only ${WRITE_ONLY_PASSWORD[db.type].value} from a RandomPassword`,
                        db.urn,
                    );
            const wo = WRITE_ONLY_PASSWORD[db.type];
            if (isSet(db.props, wo.value) || isSet(db.props, wo.version)) {
                const generators = graph.refs(db, wo.value, T.randomPassword);
                if (generators.length === 0)
                    report(
                        `${what}: ${wo.value} does not come from a random.RandomPassword of this stack (a literal or config value is a hardcoded credential)`,
                        db.urn,
                    );
                else if (!generators.some((g) => stored.has(g)))
                    report(
                        `${what}: the generated ${wo.value} is stored in no Secrets Manager secret (no SecretVersion receives it), so nothing can rotate it or hand it to a DR site`,
                        db.urn,
                    );
                continue;
            }
            if (peek(() => db.props.manageMasterUserPassword) === true) continue;
            const derived = isSet(db.props, "replicateSourceDb") || isSet(db.props, "replicationSourceIdentifier") || isSet(db.props, "snapshotIdentifier");
            const tags = peek(() => db.props.tags as Record<string, unknown> | undefined);
            const credential = tags === UNKNOWN ? UNKNOWN : peek(() => tags?.[MASTER_CREDENTIAL_TAG]);
            if (credential === UNKNOWN || (typeof credential === "string" && SECRET_ARN.test(credential))) continue;
            if (credential !== undefined) report(`${what}: tag ${MASTER_CREDENTIAL_TAG} is not a Secrets Manager secret ARN`, db.urn);
            else if (!derived)
                report(
                    `${what}: no master password source: not managed (manageMasterUserPassword), not write-only from a RandomPassword, no ${MASTER_CREDENTIAL_TAG} tag`,
                    db.urn,
                );
        }
    },
});

export const identityPolicies: Guardrail[] = [roleTrust, noWildcardAdmin, noPlaintextPasswords];

// ---------------------------------------------------------------------------------------------
// issue #11 (build 4): credentials the program already guards, now guarded by the pack too
// ---------------------------------------------------------------------------------------------

/** The launch template's (or instance's) metadata options; UNKNOWN while unknown. */
const metadataOptions = (props: Record<string, any>) => peek(() => props.metadataOptions as Record<string, unknown> | undefined);

export const nodeMetadataImdsv2 = resourceGuardrail({
    name: "node-metadata-imdsv2",
    description: "EC2 nodes (launch templates, instances) require IMDSv2 tokens and keep the token response on the node (hop limit 1).",
    remediation:
        "Set metadataOptions { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 } (or httpEndpoint 'disabled'); pods get AWS credentials through IRSA, never the node role.",
    concern: "identity",
    seed: "4.1",
    why: "With IMDSv1 or a hop limit above 1 any pod can read the node role's credentials (AWS EC2 'Configure the instance metadata options', https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html; EKS best practices: restrict access to the instance profile, https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html).",
    types: [T.launchTemplate, T.instance],
    check: ({ props }, report) => {
        const options = metadataOptions(props);
        if (options === UNKNOWN) return;
        if (options?.httpEndpoint === "disabled") return;
        // AWS defaults: IMDSv1 allowed (httpTokens optional) unless the AMI says otherwise; hop limit 1 (2 on some AMIs).
        if (options?.httpTokens !== "required")
            report(`metadataOptions.httpTokens is ${JSON.stringify(options?.httpTokens ?? "(unset: optional)")}, not "required"`);
        const hops = options?.httpPutResponseHopLimit;
        if (hops !== undefined && hops !== UNKNOWN && Number(hops) > 1)
            report(`metadataOptions.httpPutResponseHopLimit is ${hops}: pods can fetch IMDSv2 tokens`);
        if (hops === undefined) report("metadataOptions.httpPutResponseHopLimit is unset (some AMIs default to 2); set 1");
    },
});

export const databaseIamAuth = resourceGuardrail({
    name: "database-iam-auth",
    description: "PostgreSQL and MySQL databases (instances, replicas, clusters) accept IAM database authentication.",
    remediation:
        "Set iamDatabaseAuthenticationEnabled: true; applications connect with rds-db:connect tokens from their IRSA role instead of a shared password.",
    concern: "identity",
    seed: "4.1",
    why: "Short-lived IAM tokens tie every database login to a role CloudTrail can attribute; without them only the shared master password remains (AWS RDS 'IAM database authentication', https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html).",
    types: [T.rds, T.rdsCluster],
    check: ({ props }, report) => {
        const engine = peek(() => props.engine);
        // A replica names no engine: it is its source's (PostgreSQL here); other engines have no IAM auth.
        if (typeof engine === "string" && !/postgres|mysql|mariadb/.test(engine)) return;
        const enabled = peek(() => props.iamDatabaseAuthenticationEnabled);
        if (enabled !== UNKNOWN && enabled !== true) report("iamDatabaseAuthenticationEnabled is not true");
    },
});

const CACHE_USER = "aws:elasticache/user:User";

export const redisAuthRequired = resourceGuardrail({
    name: "redis-auth-required",
    description: "Redis replication groups authenticate every client (RBAC user groups or an AUTH token), with the open default user switched off.",
    remediation:
        "Give the replication group userGroupIds (RBAC; a user group whose 'default' user has accessString 'off -@all') or an authToken with transit encryption; no user with authenticationMode type 'no-password-required'.",
    concern: "identity",
    seed: "4.1, 4.2",
    why: "Without a user group or AUTH token any client that reaches port 6379 reads and writes every session and Celery task; the 'default' user is who unauthenticated connections become (AWS ElastiCache 'Role-Based Access Control', https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html; 'Disabling access control', https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-disable.html).",
    types: [T.redis, CACHE_USER],
    check: ({ type, props }, report) => {
        if (type === T.redis) {
            const groups = peek(() => props.userGroupIds as unknown[] | undefined);
            const hasGroups = groups === UNKNOWN || (Array.isArray(groups) && groups.length > 0);
            if (!hasGroups && !isSet(props, "authToken")) report("no userGroupIds and no authToken: clients connect without authenticating");
            return;
        }
        const mode = peek(() => props.authenticationMode as Record<string, unknown> | string | undefined);
        if (mode !== UNKNOWN && typeof mode === "object" && mode?.type === "no-password-required")
            report(`user ${props.userName ?? "?"}: authenticationMode is no-password-required`);
        const access = peek(() => props.accessString);
        // A user is enabled unless its access string says "off" (AWS: neither on nor off means off).
        if (props.userName === "default" && typeof access === "string" && /(^|\s)on(\s|$)/.test(access))
            report(`the default user is enabled ("${access}"): unauthenticated connections get its rights`);
    },
});

export const opensearchFineGrainedAccess = resourceGuardrail({
    name: "opensearch-fine-grained-access",
    description: "OpenSearch domains use fine-grained access control with an IAM master role, no anonymous access, and an access policy that names principals.",
    remediation:
        "Set advancedSecurityOptions { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: false, masterUserOptions.masterUserArn }; accessPolicies with account or role principals, never '*'.",
    concern: "identity",
    seed: "4.1, 6",
    why: "The log domain holds every application and audit log; without fine-grained access any principal the access policy admits reads every index (AWS OpenSearch 'Fine-grained access control', https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html).",
    types: [T.opensearch],
    check: ({ props }, report) => {
        const security = peek(() => props.advancedSecurityOptions as Record<string, unknown> | undefined);
        if (security !== UNKNOWN) {
            if (security?.enabled !== true) report("advancedSecurityOptions.enabled is not true (no fine-grained access control)");
            if (security?.anonymousAuthEnabled === true) report("advancedSecurityOptions.anonymousAuthEnabled is true");
        }
        const doc = parseJson(peek(() => props.accessPolicies));
        for (const s of asArray(doc?.Statement as Record<string, any>[] | undefined)) {
            if (s.Effect === "Allow" && !s.Condition && isWildcardPrincipal(s.Principal)) report("accessPolicies allows Principal '*' without a condition");
        }
    },
});

identityPolicies.push(nodeMetadataImdsv2, databaseIamAuth, redisAuthRequired, opensearchFineGrainedAccess);

export const eksAccessEntriesOnly = resourceGuardrail({
    name: "eks-access-entries-only",
    description: "EKS clusters authenticate IAM principals through access entries only (authenticationMode API), not the aws-auth ConfigMap.",
    remediation: "Set authenticationMode: 'API' and grant access with accessEntries (each a role and its Kubernetes groups).",
    concern: "identity",
    seed: "4.1",
    why: "Access entries are EKS API objects that CloudTrail records and IAM can restrict; the aws-auth ConfigMap is an in-cluster file anyone with edit rights on kube-system can widen, and AWS deprecates it (AWS EKS 'Grant IAM users and roles access to Kubernetes APIs', https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html).",
    types: [T.eksComponent, T.eksCluster],
    check: ({ type, props }, report) => {
        const mode = peek(() => (type === T.eksCluster ? props.accessConfig?.authenticationMode : props.authenticationMode));
        if (mode !== UNKNOWN && mode !== "API") report(`authenticationMode is ${JSON.stringify(mode ?? "(unset: CONFIG_MAP)")}, not "API"`);
    },
});

identityPolicies.push(eksAccessEntriesOnly);
