/**
 * A small typed builder for IAM policy documents (identity, trust and resource policies), so a
 * statement's shape is checked by the compiler instead of by IAM at deploy time. Pure: values are
 * plain strings; wrap with `pulumi.all(...).apply(...)` where they are Outputs.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */

/** IAM's current policy language version; "2008-10-17" lacks policy variables. */
export const POLICY_VERSION = "2012-10-17";

export type Principal = "*" | { readonly AWS?: string | string[]; readonly Service?: string | string[]; readonly Federated?: string };
/** Condition operator -> condition key -> value(s), e.g. `{ StringEquals: { "aws:SourceAccount": "111122223333" } }`. */
export type Condition = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface Statement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Principal;
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: Condition;
}

export interface PolicyDocument {
    readonly Version: typeof POLICY_VERSION;
    readonly Statement: readonly Statement[];
}

export const policyDocument = (statements: readonly Statement[]): PolicyDocument => ({ Version: POLICY_VERSION, Statement: statements });

/** The document as the JSON string IAM, KMS and S3 take. */
export const policyJson = (statements: readonly Statement[]): string => JSON.stringify(policyDocument(statements));

/** An Allow statement (key order Sid, Effect, Action, Resource, Condition, as IAM echoes it). */
export function allow(sid: string, action: string | readonly string[], resource: string | readonly string[], condition?: Condition): Statement {
    return { Sid: sid, Effect: "Allow", Action: action, Resource: resource, ...(condition ? { Condition: condition } : {}) };
}

/** `kms:ViaService`: the key may be used only through this AWS service in this region. */
export const viaService = (service: string, region: string): Condition => ({ StringEquals: { "kms:ViaService": `${service}.${region}.amazonaws.com` } });

/** The account's root principal: the key policy or trust "delegates to this account's IAM". */
export const accountRoot = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

/** `aws:SourceAccount`: a service principal acts for this account only (the confused-deputy guard). */
export const sourceAccount = (accountId: string): Condition => ({ StringEquals: { "aws:SourceAccount": accountId } });

/** A trust (assume-role) statement for a principal (key order Effect, Principal, Action, Condition, as the documents were written). */
export function trust(principal: Principal, action: string | readonly string[] = "sts:AssumeRole", condition?: Condition): Statement {
    return { Effect: "Allow", Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}) };
}
