/**
 * GitHub Actions' OIDC trust (issue #14): the subjects each delivery role accepts and the trust document
 * pinning `aud` and `sub` with StringEquals (never StringLike: a wildcard subject lets any branch, fork PR
 * or repository of the organisation in). The provider's ARN is built from the account id, so the trust is
 * known in `pulumi preview` too and the pack checks it there (the role depends on the provider explicitly).
 * @see https://docs.github.com/en/actions/reference/openid-connect-reference#subject-claims
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
import { Condition, policyJson, trust } from "../../model/iam";

/** GitHub's OIDC issuer; the IAM provider and the trust's condition keys are named after its host. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience the official aws-actions/configure-aws-credentials action requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** The ARN IAM gives the account's GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/<host>). */
export const githubProviderArn = (accountId: string): string => `arn:aws:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;

/** The subject GitHub puts in a job's token when the job runs in `environment`. */
export const githubSubject = (repository: string, environment: string): string => `repo:${repository}:environment:${environment}`;
/** The subject of a `pull_request` job (no environment): what the preview roles trust. */
export const pullRequestSubject = (repository: string): string => `repo:${repository}:pull_request`;
/** The subject of a job on a branch (no environment): what the image push roles trust, for main. */
export const branchSubject = (repository: string, branch: string): string => `repo:${repository}:ref:refs/heads/${branch}`;

/** The trust condition of a delivery role: this audience and exactly this subject (StringEquals: no wildcard). */
export const githubTrustCondition = (subject: string): Condition => ({
    StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: subject },
});

/** The assume-role policy of a role GitHub Actions jobs with `subject` may assume (web identity, no long-lived key). */
export const githubTrustPolicy = (accountId: string, subject: string): string =>
    policyJson([trust({ Federated: githubProviderArn(accountId) }, "sts:AssumeRoleWithWebIdentity", githubTrustCondition(subject))]);
