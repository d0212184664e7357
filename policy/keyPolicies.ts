/**
 * Deployability (issue #11): KMS key policies admit every AWS service that uses the key, with the
 * actions and conditions AWS documents, joined from the resource that uses the key.
 *
 * The join runs from each using resource (trail, log group, topic, launch template, database...) to
 * the `aws:kms/key:Key` through propertyDependencies, so it works in preview when the key's ARN is
 * unknown; the key policy itself is known in preview (it is built from the account id). The rules
 * (who calls KMS, which actions, which encryption context) are the table in policy/rules/kmsServices.ts.
 */
import { PolicyResource } from "@pulumi/policy";
import { Graph, Guardrail, T, UNKNOWN, asArray, label, parseJson, peek, stackGuardrail } from "./lib";
import { CALLER_ACTIONS, KMS_SERVICE_RULES, KmsActionNeed, KmsServiceRule, NEUTRAL_CONDITION_KEYS, PrincipalRule, SNS_PUBLISHERS } from "./rules/kmsServices";

interface Statement {
    readonly Effect?: string;
    readonly Principal?: unknown;
    readonly NotPrincipal?: unknown;
    readonly Action?: string | string[];
    readonly NotAction?: unknown;
    readonly Condition?: Record<string, Record<string, unknown>>;
}

type Principal = { readonly service: string } | { readonly role: string };

/** Why a statement does not admit a call: it never can, or it depends on a key AWS does not document for the service. */
type Verdict = { readonly ok: true } | { readonly ok: false; readonly never: boolean; readonly why: string };

const OK: Verdict = { ok: true };

/** IAM's wildcard match (`*`, `?`), case-insensitive as action names are. */
function glob(pattern: string, value: string, ignoreCase = false): boolean {
    const re = new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        ignoreCase ? "i" : "",
    );
    return re.test(value);
}

const actionGranted = (s: Statement, action: string) => asArray(s.Action).some((a) => typeof a === "string" && (a === "*" || glob(a, action, true)));

function names(s: Statement, principal: Principal): boolean {
    if (s.Principal === "*") return true;
    const p = (s.Principal ?? {}) as Record<string, unknown>;
    if ("service" in principal) return asArray(p.Service as string | string[]).includes(principal.service);
    return asArray(p.AWS as string | string[]).some((a) => a === "*" || a === principal.role || glob(a, principal.role));
}

/** Whether a condition value matches the request's value under the operator (unknown operators: assumed to match). */
function valueMatches(operator: string, expected: unknown, actual: string): boolean {
    const values = asArray(expected as unknown[]).map(String);
    const negated = operator.includes("Not");
    const like = /Like$/.test(operator);
    const hit = values.some((v) => (like ? glob(v, actual) : operator.includes("IgnoreCase") ? v.toLowerCase() === actual.toLowerCase() : v === actual));
    if (!/^(String|Arn)/.test(operator)) return true;
    return negated ? !hit : hit;
}

interface RequestFacts {
    readonly rule: PrincipalRule;
    readonly need: KmsActionNeed;
    /** ARN of the using resource (the encryption context's value, and aws:SourceArn), when known. */
    readonly userArn?: string;
    readonly accountId?: string;
}

/** Evaluates a statement's condition block against what AWS sends for this call. */
function conditionVerdict(condition: Statement["Condition"], facts: RequestFacts): Verdict {
    const { need, rule } = facts;
    let undocumented: Verdict | undefined;
    for (const [operator, block] of Object.entries(condition ?? {})) {
        const ifExists = operator.endsWith("IfExists");
        const op = operator.replace(/IfExists$/, "");
        for (const [key, value] of Object.entries(block ?? {})) {
            if (key.startsWith("kms:EncryptionContext:")) {
                const contextKey = key.slice("kms:EncryptionContext:".length);
                if (contextKey !== need.context) {
                    // Absent from the request: only IfExists or Null "true" pass.
                    if (ifExists || (op === "Null" && String(value) === "true")) continue;
                    const carries = need.context ? `only the ${need.context} encryption context` : "no encryption context";
                    return { ok: false, never: true, why: `${need.action} carries ${carries}, so ${operator} ${key} can never match` };
                }
                if (op !== "Null" && facts.userArn && !valueMatches(op, value, facts.userArn))
                    return { ok: false, never: true, why: `${operator} ${key} ${JSON.stringify(value)} does not match ${facts.userArn}` };
                continue;
            }
            if (key === "kms:EncryptionContextKeys") {
                if (!need.context && !ifExists)
                    return { ok: false, never: true, why: `${need.action} carries no encryption context, so ${key} can never match` };
                continue;
            }
            if (NEUTRAL_CONDITION_KEYS.includes(key)) continue;
            if (rule.conditionKeys.includes(key)) {
                const actual = key === "aws:SourceAccount" ? facts.accountId : key === "aws:SourceArn" ? facts.userArn : undefined;
                if (actual && !valueMatches(op, value, actual))
                    return { ok: false, never: true, why: `${operator} ${key} ${JSON.stringify(value)} does not match ${actual}` };
                continue;
            }
            undocumented ??= {
                ok: false,
                never: false,
                why: `${operator} ${key}: AWS documents no such condition key for ${rule.service}'s KMS calls, so it may never match`,
            };
        }
    }
    return undocumented ?? OK;
}

/** The allow statements of a key policy, or undefined while it is unknown or not a document. */
function statementsOf(key: PolicyResource): Statement[] | undefined {
    const raw = peek(() => key.props.policy);
    if (raw === UNKNOWN) return undefined;
    const doc = parseJson(raw);
    if (!doc) return undefined;
    return asArray(doc.Statement as Statement | Statement[]).filter((s) => s.Effect === "Allow" && s.NotAction === undefined && s.NotPrincipal === undefined);
}

const known = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The region a resource is created in: its own `region`, else its provider's. */
function regionOf(r: PolicyResource): string | undefined {
    return known(peek(() => r.props.region)) ?? (r.provider ? known(peek(() => r.provider!.props.region)) : undefined);
}

/** The account the key belongs to: from its ARN (update) or its account-root statement (preview). */
function accountOf(key: PolicyResource, statements: Statement[]): string | undefined {
    const fromArn = /^arn:aws[a-z-]*:kms:[^:]*:(\d{12}):/.exec(known(peek(() => key.props.arn)) ?? "");
    if (fromArn) return fromArn[1];
    for (const s of statements) {
        for (const a of asArray(((s.Principal ?? {}) as Record<string, unknown>).AWS as string | string[])) {
            const m = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(String(a));
            if (m) return m[1];
        }
    }
    return undefined;
}

/**
 * The using resource's ARN, the value AWS puts in the encryption context and aws:SourceArn. A log group's
 * is built from its name (what CloudWatch Logs sends, and known in preview); otherwise the `arn` output
 * when known, else (preview) a trail's is built from its name.
 */
function arnOfUser(user: PolicyResource, region: string, accountId: string | undefined): string | undefined {
    const name = known(peek(() => user.props.name));
    const canBuild = name !== undefined && accountId !== undefined && region !== "*";
    if (user.type === T.logGroup && canBuild) return `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
    const arn = known(peek(() => user.props.arn));
    if (arn) return arn;
    if (user.type === T.trail && canBuild) return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
    return undefined;
}

/** The services wired to publish to a topic: alarms, EventBridge targets, AMP alert manager, and the topic policy's publishers. */
export function publishersOf(graph: Graph, topic: PolicyResource): string[] {
    const services = new Set<string>();
    for (const p of SNS_PUBLISHERS) if (p.props.some((prop) => graph.referrers(topic, [p.type], prop).length > 0)) services.add(p.service);
    for (const policy of graph.referrers(topic, ["aws:sns/topicPolicy:TopicPolicy"], "arn")) {
        const doc = parseJson(peek(() => policy.props.policy));
        for (const s of asArray(doc?.Statement as Statement | Statement[])) {
            if (s.Effect !== "Allow" || !actionGranted(s, "sns:Publish")) continue;
            for (const service of asArray(((s.Principal ?? {}) as Record<string, unknown>).Service as string | string[])) services.add(service);
        }
    }
    return [...services];
}

/** Whether the trail's bucket encrypts with an S3 Bucket Key (then CloudTrail needs kms:Decrypt); unknown counts as yes. */
function trailBucketUsesBucketKey(graph: Graph, trail: PolicyResource): boolean {
    const buckets = graph.refs(trail, "s3BucketName", T.bucket, T.bucketV2);
    if (buckets.length === 0) return true;
    return buckets.some((b) =>
        graph.referrers(b, [T.bucketSse, T.bucketSseV2], "bucket").some((sse) => {
            const rules = peek(() => sse.props.rules as Record<string, unknown>[] | undefined);
            return rules === UNKNOWN || asArray(rules).some((rule) => peek(() => rule.bucketKeyEnabled) !== false);
        }),
    );
}

/** The principals of a rule for one using resource (SNS: one per wired publisher). */
function principalsFor(rule: PrincipalRule, graph: Graph, user: PolicyResource, region: string, accountId: string | undefined): Principal[] {
    if (rule.id === "sns-publisher") return publishersOf(graph, user).map((service) => ({ service }));
    return [rule.principal(region, accountId ?? "*")];
}

const describe = (p: Principal) => ("service" in p ? p.service : p.role);

/** Checks one (principal, action) need against the key's statements; undefined when admitted. */
function admits(statements: Statement[], principal: Principal, facts: RequestFacts): Verdict {
    const candidates = statements.filter((s) => names(s, principal) && actionGranted(s, facts.need.action));
    if (candidates.length === 0) return { ok: false, never: true, why: `no statement of the key policy grants it` };
    const verdicts = candidates.map((s) => conditionVerdict(s.Condition, facts));
    if (verdicts.some((v) => v.ok)) return OK;
    const soft = verdicts.find((v) => !v.ok && !v.never);
    return soft ?? verdicts[0];
}

/** The account-root statement that lets the account's IAM policies grant the key to callers. */
function enablesIam(statements: Statement[], accountId: string | undefined): boolean {
    const root = accountId ? `arn:aws:iam::${accountId}:root` : undefined;
    return statements.some((s) => {
        const aws = asArray(((s.Principal ?? {}) as Record<string, unknown>).AWS as string | string[]).map(String);
        const isRoot = aws.some((a) => (root ? a === root || a === accountId : /^arn:aws[a-z-]*:iam::\d{12}:root$|^\d{12}$/.test(a)));
        return isRoot && s.Condition === undefined && CALLER_ACTIONS.every((a) => actionGranted(s, a));
    });
}

export const keyAdmitsServices = stackGuardrail({
    name: "kms-key-admits-services",
    description: "Every KMS key's policy admits the AWS services that use it, with the actions and conditions AWS documents.",
    remediation:
        "Add to the key policy (CustomerKey serviceGrants/roleGrants) a statement for the service with the actions of policy/rules/kmsServices.ts; " +
        "put context-free actions (kms:DescribeKey, kms:CreateGrant, CloudTrail's bucket-key kms:Decrypt) in a statement without a kms:EncryptionContext condition.",
    concern: "deployability",
    seed: "4.2",
    why: "A key policy that does not admit its service passes every offline check and fails at deploy (InsufficientEncryptionPolicyException, KMS key not allowed) or drops data silently at run time.",
    types: [T.kmsKey, ...new Set(KMS_SERVICE_RULES.flatMap((r) => r.uses.map((u) => u.type)))],
    check: ({ graph }, report) => {
        // One line per key, principal and failure, listing every resource it affects.
        const failures = new Map<string, { key: PolicyResource; message: string; advisory: boolean; users: Set<string> }>();
        const fail = (key: PolicyResource, message: string, advisory: boolean, user: PolicyResource) => {
            const id = `${key.urn}|${advisory}|${message}`;
            const entry = failures.get(id) ?? { key, message, advisory, users: new Set<string>() };
            entry.users.add(label(user));
            failures.set(id, entry);
        };
        for (const key of graph.ofType(T.kmsKey)) {
            const statements = statementsOf(key);
            if (!statements) continue;
            const accountId = accountOf(key, statements);
            for (const rule of KMS_SERVICE_RULES) {
                for (const use of rule.uses) {
                    const users = graph.inOrder(use.props.flatMap((prop) => graph.referrers(key, [use.type], prop)));
                    for (const user of users) checkUse(graph, key, statements, accountId, rule, user, fail);
                }
            }
        }
        for (const { key, message, advisory, users } of failures.values()) {
            report(`key ${key.name}: ${message} (used by ${[...users].join(", ")})`, key.urn, advisory ? "advisory" : undefined);
        }
    },
});

function checkUse(
    graph: Graph,
    key: PolicyResource,
    statements: Statement[],
    accountId: string | undefined,
    rule: KmsServiceRule,
    user: PolicyResource,
    fail: (key: PolicyResource, message: string, advisory: boolean, user: PolicyResource) => void,
): void {
    if (rule.kind === "caller") {
        if (!enablesIam(statements, accountId))
            fail(
                key,
                `${rule.service} uses the key for the calling IAM principal, but no unconditioned account-root statement lets IAM policies grant ${CALLER_ACTIONS.join(", ")} (${rule.source})`,
                false,
                user,
            );
        return;
    }
    const region = regionOf(user) ?? "*";
    const userArn = arnOfUser(user, region, accountId);
    const bucketKey = rule.id === "cloudtrail" ? trailBucketUsesBucketKey(graph, user) : false;
    for (const principal of principalsFor(rule, graph, user, region, accountId)) {
        // Actions failing for the same reason share one line.
        const byReason = new Map<string, { actions: string[]; advisory: boolean; why: string }>();
        for (const need of rule.actions) {
            if (need.onlyWithBucketKey && !bucketKey) continue;
            const verdict = admits(statements, principal, { rule, need, userArn, accountId });
            if (verdict.ok) continue;
            const group = byReason.get(`${verdict.never}|${verdict.why}`) ?? { actions: [], advisory: !verdict.never, why: verdict.why };
            group.actions.push(`${need.action}${need.note ? ` (${need.note})` : ""}`);
            byReason.set(`${verdict.never}|${verdict.why}`, group);
        }
        for (const { actions, advisory, why } of byReason.values())
            fail(key, `${rule.service} (${describe(principal)}) needs ${actions.join(", ")}: ${why} (${rule.source})`, advisory, user);
    }
}

export const keyPolicyPolicies: Guardrail[] = [keyAdmitsServices];
