/**
 * Fine-grained access control of the log search domain (issue #13 item 2): with FGAC on, IAM lets a signed request
 * reach the domain and the security plugin decides what it may do, by the backend roles its IAM role maps to. The
 * shippers' roles are mapped to one role that may write the log indices only; an ISM policy deletes the indices at
 * the end of their retention. Pure: the request bodies and the script that applies them.
 *
 * Why a script through @pulumi/command (components/observability/logShipping/indexAccess.ts), not a provider: the
 * OpenSearch Pulumi provider is a Terraform bridge generated with `pulumi package add terraform-provider
 * opensearch-project/opensearch` (no npm package to pin), and the domain's advancedSecurityOptions take one master
 * user only. The security REST API, signed with SigV4 as the master user, is what AWS documents; the deploy runner
 * inside the VPC reaches the VPC-only endpoint.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-mapping
 * @see https://docs.opensearch.org/latest/security/access-control/api/
 * @see https://docs.opensearch.org/latest/im-plugin/ism/api/
 */

/** The security plugin role the shippers map to: write access to their indices, nothing else. */
export function logWriterRole(indexPrefix: string) {
    return {
        description: "Log shippers (Fluent Bit): bulk-write the log indices",
        // _bulk is a cluster-level composite action; monitor lets the output read the cluster's version on start.
        cluster_permissions: ["cluster_composite_ops", "cluster_monitor"],
        index_permissions: [{ index_patterns: [`${indexPrefix}-*`], allowed_actions: ["crud", "create_index"] }],
    };
}

/** The mapping of the shippers' IAM roles (backend roles, as FGAC sees a SigV4 caller) to the writer role. */
export function logWriterMapping(shipperRoleArns: readonly string[]) {
    return { backend_roles: [...shipperRoleArns], description: "IAM roles of the log shippers (IRSA on EKS, Roles Anywhere on-prem)" };
}

/** ISM: delete each log index `retentionDays` after its creation; new indices of the prefix get it by template. */
export function logRetentionPolicy(indexPrefix: string, retentionDays: number) {
    return {
        policy: {
            description: `Delete ${indexPrefix}-* indices after ${retentionDays} days (CloudWatch Logs keeps the long copy)`,
            default_state: "hot",
            states: [
                { name: "hot", actions: [], transitions: [{ state_name: "delete", conditions: { min_index_age: `${retentionDays}d` } }] },
                { name: "delete", actions: [{ delete: {} }], transitions: [] },
            ],
            ism_template: [{ index_patterns: [`${indexPrefix}-*`], priority: 100 }],
        },
    };
}

export interface IndexAccessRequest {
    readonly indexPrefix: string;
    readonly shipperRoleArns: readonly string[];
    readonly retentionDays: number;
}

/** The names the requests use, derived from the prefix (one writer role and one ISM policy per prefix). */
export const writerRoleName = (indexPrefix: string) => `${indexPrefix}-writer`;
export const retentionPolicyName = (indexPrefix: string) => `${indexPrefix}-retention`;

/** Environment of the script: everything it sends, so a change of any of it re-runs it (the command's triggers). */
export function indexAccessEnvironment(r: IndexAccessRequest): Record<string, string> {
    return {
        WRITER_ROLE: writerRoleName(r.indexPrefix),
        WRITER_ROLE_BODY: JSON.stringify(logWriterRole(r.indexPrefix)),
        WRITER_MAPPING_BODY: JSON.stringify(logWriterMapping(r.shipperRoleArns)),
        ISM_POLICY: retentionPolicyName(r.indexPrefix),
        ISM_POLICY_BODY: JSON.stringify(logRetentionPolicy(r.indexPrefix, r.retentionDays)),
    };
}

/**
 * The bash the deploy runner runs (needs the AWS CLI and curl >= 7.76 for --aws-sigv4 and --fail-with-body, both in
 * CodeBuild's standard images). It assumes the domain's master user role, then PUTs the role, the mapping and (when
 * absent: ISM refuses a PUT over an existing policy without its sequence numbers) the retention policy. The
 * credentials go to curl through a config on a file descriptor, never on a command line.
 * Reads DOMAIN_ENDPOINT, REGION, MASTER_ROLE_ARN and the variables of indexAccessEnvironment.
 */
export const INDEX_ACCESS_SCRIPT = `set -euo pipefail
read -r AK SK ST < <(aws sts assume-role --role-arn "$MASTER_ROLE_ARN" --role-session-name log-index-access \\
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
search() {
    local method="$1" path="$2"
    shift 2
    curl --silent --show-error --fail-with-body --aws-sigv4 "aws:amz:\${REGION}:es" \\
        --config <(printf 'user = "%s:%s"\\nheader = "x-amz-security-token: %s"\\n' "$AK" "$SK" "$ST") \\
        -H 'Content-Type: application/json' -X "$method" "https://\${DOMAIN_ENDPOINT}/\${path}" "$@"
}
search PUT "_plugins/_security/api/roles/\${WRITER_ROLE}" --data-binary "$WRITER_ROLE_BODY"
search PUT "_plugins/_security/api/rolesmapping/\${WRITER_ROLE}" --data-binary "$WRITER_MAPPING_BODY"
if ! search GET "_plugins/_ism/policies/\${ISM_POLICY}" --output /dev/null 2>/dev/null; then
    search PUT "_plugins/_ism/policies/\${ISM_POLICY}" --data-binary "$ISM_POLICY_BODY"
fi
`;
