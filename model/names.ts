/**
 * Physical names, built in one place so that every stack's resources are named by the same scheme and a
 * name AWS would refuse is caught before anything registers. Pure.
 */
import { PROJECT } from "./config";

/** S3 bucket names are global and at most 63 characters. @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
export const BUCKET_NAME_MAX = 63;
/** KMS alias names are at most 256 characters, after "alias/". @see https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html */
export const KMS_ALIAS_MAX = 256;

/** `hybrid-platform-<stack>[-<part>...]`: names unique in the account and region (the trail, Grafana, the DR resources). */
export function stackResourceName(stack: string, ...parts: string[]): string {
    return [PROJECT, stack, ...parts].join("-");
}

/** `<component>-<stack>`: a component's identifier where its service requires one (RDS, ElastiCache), so two stacks in one account never collide. */
export function componentId(component: string, stack: string): string {
    return `${component}-${stack}`;
}

/**
 * `hybrid-platform-<stack>-<purpose>-<accountId>`: a bucket name, unique worldwide because it carries the account.
 * Not checked here (the account is known only at deploy time): SecureBucket checks it with `bucketNameProblem`.
 */
export function accountBucketName(stack: string, purpose: string, accountId: string): string {
    return `${stackResourceName(stack, purpose)}-${accountId}`;
}

/** Why S3 would refuse this bucket name, or undefined: 3-63 lowercase letters, digits, hyphens and dots, alphanumeric at both ends, no "..", not an IP address. */
export function bucketNameProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > BUCKET_NAME_MAX) return `is ${name.length} characters; S3 allows 3 to ${BUCKET_NAME_MAX}`;
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "must be lowercase letters, digits, hyphens and dots, starting and ending with a letter or digit";
    if (name.includes("..")) return 'must not contain ".."';
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not look like an IP address";
    return undefined;
}

/** `/hybrid-platform/<stack>/<path...>`: log groups grouped by stack, so one subscription or IAM prefix covers a stack. */
export function stackLogGroupName(stack: string, ...path: string[]): string {
    return ["", PROJECT, stack, ...path].join("/");
}

/**
 * The one KMS alias scheme: `alias/hybrid-platform/<stack>/<purpose>`. The stack keeps two stacks' keys apart in a
 * shared account; the purpose says what the key protects (`database`, `network/flow-logs`, ...).
 */
export function kmsAliasName(stack: string, purpose: string): string {
    return `alias/${PROJECT}/${stack}/${purpose}`;
}

/** Why KMS would refuse a key purpose in `kmsAliasName`, or undefined: letters, digits, "/", "_" and "-", no empty segment. */
export function keyPurposeProblem(purpose: string): string | undefined {
    if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(purpose)) return 'must be letters, digits, "_" and "-", in segments separated by single "/"';
    return undefined;
}

/** Tag that declares why a security-group egress rule reaches the internet (TCP 443 only); policy sg-egress-scoped reports it as advisory. */
export const INTERNET_EGRESS_REASON_TAG = "hybrid-platform/internet-egress-reason";
