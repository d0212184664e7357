/**
 * The IAM layer of reachability (issue #12): a packet that every network layer admits still fails if the VPC
 * endpoint's policy or the bucket's policy refuses the call it carries. A pure evaluator with IAM's semantics for the
 * documents this platform writes (explicit Deny wins, an Allow is needed, `Principal` `*`/AWS/Service/Federated,
 * wildcards in Action and Resource, the condition operators we use with `...IfExists`), three-valued: a value
 * unknown in preview makes the verdict `unknown`, never a guess. And `FLOW_CALLS`: which call each declared flow
 * (model/flows.ts) makes through an endpoint, by which principal, on which resource.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import { LayerDecision } from "./reachability";

/** A value of the request context or a policy: UNKNOWN_VALUE when preview does not know it yet. */
export const UNKNOWN_VALUE = "<unknown>";
type Tri = true | false | "unknown";

/** One request as IAM sees it. */
export interface IamRequest {
    readonly action: string;
    readonly resource: string;
    /** The caller: an AWS principal (role ARN), a service principal, or none (an unsigned web-identity call). */
    readonly principal:
        { readonly kind: "aws"; readonly arn: string } | { readonly kind: "service"; readonly service: string } | { readonly kind: "anonymous" };
    /** Condition keys present in the request (absent keys are absent); UNKNOWN_VALUE where preview does not know. */
    readonly context: Readonly<Record<string, string | readonly string[]>>;
}

/** A policy statement as read from JSON (loosely typed: the plan's documents, possibly mutated). */
export interface PolicyStatementLike {
    readonly Sid?: string;
    readonly Effect?: string;
    readonly Principal?: unknown;
    readonly Action?: unknown;
    readonly NotAction?: unknown;
    readonly Resource?: unknown;
    readonly NotResource?: unknown;
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const and = (...xs: Tri[]): Tri => (xs.includes(false) ? false : xs.includes("unknown") ? "unknown" : true);
const escape = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
/** IAM's wildcard match: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string, caseInsensitive = false): boolean {
    const re = new RegExp(`^${escape(pattern).replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseInsensitive ? "i" : "");
    return re.test(value);
}

function principalMatches(p: unknown, r: IamRequest["principal"]): Tri {
    if (p === undefined) return true; // identity policies and statements without Principal (not in resource policies)
    if (p === "*") return true;
    if (typeof p !== "object" || p === null) return false;
    const o = p as Record<string, unknown>;
    if (r.kind === "aws") {
        const account = r.arn.split(":")[4];
        return list(o.AWS).some((a) => a === "*" || a === r.arn || a === account || a === `arn:aws:iam::${account}:root` || globMatch(a, r.arn));
    }
    if (r.kind === "service") return list(o.Service).includes(r.service);
    return list(o.Federated).length > 0;
}

/** One condition operator on one key: present-key semantics, negation, `IfExists`. */
function conditionMatches(operator: string, key: string, expected: unknown, context: IamRequest["context"]): Tri {
    const ifExists = operator.endsWith("IfExists");
    const op = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    const raw = context[key];
    const wanted = list(expected);
    if (wanted.includes(UNKNOWN_VALUE)) return "unknown";
    const negated = /Not/.test(op);
    // A key absent from the request: IfExists matches; a negated operator matches; a positive one does not.
    if (raw === undefined) return ifExists || negated;
    const values = list(raw);
    if (values.includes(UNKNOWN_VALUE)) return "unknown";
    const base = op.replace("Not", "");
    const one = (v: string, w: string): boolean | undefined => {
        switch (base) {
            case "StringEquals":
            case "ArnEquals":
                return v === w;
            case "StringEqualsIgnoreCase":
                return v.toLowerCase() === w.toLowerCase();
            case "StringLike":
            case "ArnLike":
                return globMatch(w, v);
            case "Bool":
                return v.toLowerCase() === w.toLowerCase();
            case "NumericLessThan":
                return Number(v) < Number(w);
            case "NumericEquals":
                return Number(v) === Number(w);
            default:
                return undefined;
        }
    };
    const results = values.flatMap((v) => wanted.map((w) => one(v, w)));
    if (results.includes(undefined)) return "unknown"; // an operator this evaluator does not know: never a guess
    const any = results.includes(true);
    return negated ? !any : any;
}

/** Whether a statement applies to a request (three-valued). */
export function statementMatches(s: PolicyStatementLike, r: IamRequest): Tri {
    const action =
        s.NotAction !== undefined ? !list(s.NotAction).some((a) => globMatch(a, r.action, true)) : list(s.Action).some((a) => globMatch(a, r.action, true));
    const resource =
        s.NotResource !== undefined
            ? !list(s.NotResource).some((x) => globMatch(x, r.resource))
            : s.Resource === undefined || list(s.Resource).some((x) => globMatch(x, r.resource));
    const conditions = Object.entries(s.Condition ?? {}).flatMap(([op, keys]) =>
        Object.entries(keys ?? {}).map(([key, expected]) => conditionMatches(op, key, expected, r.context)),
    );
    return and(principalMatches(s.Principal, r.principal), action, resource, ...conditions);
}

const sidOf = (s: PolicyStatementLike, i: number) => s.Sid ?? `statement ${i}`;

/**
 * IAM's evaluation of one policy for one request: a matching Deny decides; otherwise a matching Allow admits;
 * otherwise the implicit deny. `undefined` = no policy attached (an endpoint's default: full access); `"unknown"` = not
 * known in preview. `requireAllow: false` for a bucket policy, which only has to not deny (the caller's IAM grants).
 */
export function evaluatePolicy(
    what: string,
    statements: readonly PolicyStatementLike[] | undefined | "unknown",
    r: IamRequest,
    requireAllow = true,
): LayerDecision {
    if (statements === "unknown") return { verdict: "unknown", rule: `${what}: policy unknown` };
    if (statements === undefined) return { verdict: "allow", rule: `${what}: no policy (AWS's default, full access)` };
    const call = `${r.action} on ${r.resource}`;
    let unknown: string | undefined;
    for (const [i, s] of statements.entries()) {
        if (s.Effect !== "Deny") continue;
        const m = statementMatches(s, r);
        if (m === true) return { verdict: "deny", rule: `${what}: ${sidOf(s, i)} denies ${call}` };
        if (m === "unknown") unknown ??= `${what}: ${sidOf(s, i)} may deny ${call} (values unknown)`;
    }
    if (unknown) return { verdict: "unknown", rule: unknown };
    let allowUnknown: string | undefined;
    for (const [i, s] of statements.entries()) {
        if (s.Effect !== "Allow") continue;
        const m = statementMatches(s, r);
        if (m === true) return { verdict: "allow", rule: `${what}: ${sidOf(s, i)} allows ${call}` };
        if (m === "unknown") allowUnknown ??= `${what}: ${sidOf(s, i)} may allow ${call} (values unknown)`;
    }
    if (allowUnknown) return { verdict: "unknown", rule: allowUnknown };
    return requireAllow
        ? { verdict: "deny", rule: `${what}: no statement allows ${call} (implicit deny)` }
        : { verdict: "allow", rule: `${what}: no statement denies ${call}` };
}

/** Reads a policy JSON prop: statements, "unknown", or undefined when there is none. */
export function parsePolicy(value: unknown): readonly PolicyStatementLike[] | undefined | "unknown" {
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string") return "unknown";
    try {
        const doc = JSON.parse(value) as { Statement?: unknown };
        return list(doc.Statement).length === 0 && !Array.isArray(doc.Statement)
            ? [doc.Statement as PolicyStatementLike]
            : (doc.Statement as PolicyStatementLike[]);
    } catch {
        return "unknown";
    }
}

// ---------------------------------------------------------------------------------------------
// What each flow asks of an endpoint
// ---------------------------------------------------------------------------------------------

/** Who makes a call: a role of the stack (by its Pulumi resource name), ECR's pre-signed layer URL, or nobody (IRSA). */
export type Caller = { readonly role: string } | { readonly presignedBy: "ecr" } | { readonly anonymous: true };

/** One call a flow makes through an endpoint: which endpoint, action, resource (a template, below), by whom. */
export interface FlowCall {
    /** The endpoint it crosses: an interface endpoint's service, or "s3" (the gateway endpoint). */
    readonly endpoint: string;
    readonly action: string;
    /** `{region}`, `{account}`, `{documents}` (the documents bucket), `{role:<name>}` (a role's ARN) are filled from the plan. */
    readonly resource: string;
    readonly caller: Caller;
    /** Whether the destination's resource policy (the documents bucket's) is evaluated too. */
    readonly resourcePolicy?: "documents";
}

const POD_ROLE = { role: "app-irsa-django-web" };
/**
 * The calls behind each declared flow to an endpoint or S3 (model/flows.ts names). The principal is the flow's
 * source: the django-web IRSA role (components/app/irsa.ts), the nodes' role, a rotation function's role.
 */
export const FLOW_CALLS: Readonly<Record<string, readonly FlowCall[]>> = {
    "pods-to-s3": [
        { endpoint: "s3", action: "s3:GetObject", resource: "arn:aws:s3:::{documents}/uploads/document.pdf", caller: POD_ROLE, resourcePolicy: "documents" },
        { endpoint: "s3", action: "s3:PutObject", resource: "arn:aws:s3:::{documents}/uploads/document.pdf", caller: POD_ROLE, resourcePolicy: "documents" },
    ],
    "pods-to-sts-endpoint": [
        // IRSA: the SDK trades the projected token for the role's credentials, unsigned.
        { endpoint: "sts", action: "sts:AssumeRoleWithWebIdentity", resource: "{role:app-irsa-django-web}", caller: { anonymous: true } },
    ],
    "pods-to-secretsmanager-endpoint": [
        {
            endpoint: "secretsmanager",
            action: "secretsmanager:GetSecretValue",
            resource: "arn:aws:secretsmanager:{region}:{account}:secret:database",
            caller: POD_ROLE,
        },
    ],
    "pods-to-kms-endpoint": [{ endpoint: "kms", action: "kms:Decrypt", resource: "arn:aws:kms:{region}:{account}:key/documents", caller: POD_ROLE }],
    "pods-to-logs-endpoint": [
        { endpoint: "logs", action: "logs:PutLogEvents", resource: "arn:aws:logs:{region}:{account}:log-group:portal:log-stream:pod", caller: POD_ROLE },
    ],
    "nodes-to-ecr.api-endpoint": [{ endpoint: "ecr.api", action: "ecr:GetAuthorizationToken", resource: "*", caller: { role: "app-nodes" } }],
    "nodes-to-ecr.dkr-endpoint": [
        { endpoint: "ecr.dkr", action: "ecr:BatchGetImage", resource: "arn:aws:ecr:{region}:{account}:repository/django-web", caller: { role: "app-nodes" } },
        // The layers themselves: S3, through the gateway endpoint, on a URL ECR signed.
        { endpoint: "s3", action: "s3:GetObject", resource: "arn:aws:s3:::prod-{region}-starport-layer-bucket/layer", caller: { presignedBy: "ecr" } },
    ],
    "rotation-to-secretsmanager-endpoint": [
        {
            endpoint: "secretsmanager",
            action: "secretsmanager:PutSecretValue",
            resource: "arn:aws:secretsmanager:{region}:{account}:secret:database",
            caller: { role: "data-postgres-rotation" },
        },
    ],
    "cache-rotation-to-secretsmanager-endpoint": [
        {
            endpoint: "secretsmanager",
            action: "secretsmanager:PutSecretValue",
            resource: "arn:aws:secretsmanager:{region}:{account}:secret:cache",
            caller: { role: "data-redis-rotation" },
        },
    ],
    "cache-rotation-to-elasticache-endpoint": [
        {
            endpoint: "elasticache",
            action: "elasticache:ModifyUser",
            resource: "arn:aws:elasticache:{region}:{account}:user:app",
            caller: { role: "data-redis-rotation" },
        },
    ],
};

/** An account no principal of ours has: what a pre-signed ECR URL's signer looks like to our policies. */
export const AWS_SERVICE_ACCOUNT = "000000000000";

/** The request of one call, given what the plan says (account, region, names; UNKNOWN_VALUE where preview does not know). */
export function requestOf(
    call: FlowCall,
    env: {
        readonly account: string;
        readonly region: string;
        readonly documents: string;
        readonly sourceVpce: string;
        readonly roleArn: (name: string) => string;
    },
): IamRequest {
    const resource = call.resource
        .replace(/\{role:([^}]+)\}/g, (_, n: string) => env.roleArn(n))
        .replace(/\{region\}/g, env.region)
        .replace(/\{account\}/g, env.account)
        .replace(/\{documents\}/g, env.documents);
    const resourceAccount = resource.startsWith("arn:aws:s3:::prod-") ? AWS_SERVICE_ACCOUNT : call.resource === "*" ? undefined : env.account;
    const principalArn = "role" in call.caller ? env.roleArn(call.caller.role) : undefined;
    const principal: IamRequest["principal"] = principalArn
        ? { kind: "aws", arn: principalArn }
        : "presignedBy" in call.caller
          ? { kind: "aws", arn: `arn:aws:iam::${AWS_SERVICE_ACCOUNT}:role/ecr-layer-download` }
          : { kind: "anonymous" };
    const principalAccount = principal.kind === "aws" ? principal.arn.split(":")[4] : undefined;
    const ctx: Record<string, string> = {
        "aws:SecureTransport": "true",
        "s3:TlsVersion": "1.3",
        "aws:PrincipalIsAWSService": "false",
        "aws:ViaAWSService": "false",
        "aws:SourceVpce": env.sourceVpce,
    };
    if (principal.kind === "aws") ctx["aws:PrincipalArn"] = principal.arn.includes(UNKNOWN_VALUE) ? UNKNOWN_VALUE : principal.arn;
    if (principalAccount !== undefined) ctx["aws:PrincipalAccount"] = principalAccount;
    if (resourceAccount !== undefined) ctx["aws:ResourceAccount"] = resource.includes(UNKNOWN_VALUE) ? UNKNOWN_VALUE : resourceAccount;
    return { action: call.action, resource, principal, context: ctx };
}
