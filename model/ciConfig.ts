/**
 * Config section `hybrid-platform:ci`: the GitHub repository whose workflows deploy this account, and the
 * in-VPC deploy runner of prod and dr (components/delivery/deployRunner.ts). Defaults: model/defaults.ts.
 */
import { z } from "zod";
import { DEFAULTS } from "./defaults";

export const ciSchema = z
    .strictObject({
        githubRepository: z
            .string()
            .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/, 'a GitHub repository as "owner/repo"')
            .meta({
                description:
                    'Site value: the GitHub repository ("owner/repo") whose workflows deploy this account (OIDC trust in bootstrap; the deploy runner of prod and dr takes its jobs).',
                see: "https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html",
            }),
        runnerComputeType: z.enum(["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"]).default(DEFAULTS.ci.runnerComputeType).meta({
            description: "CodeBuild compute of the deploy runner: a whole-stack `pulumi up` with the policy pack needs the memory of MEDIUM (7 GB).",
            see: "https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-compute-types.html",
        }),
        runnerTimeoutMinutes: z.number().int().min(5).max(2160).default(DEFAULTS.ci.runnerTimeoutMinutes).meta({
            description:
                "Build timeout of the deploy runner (5-2160 minutes): a first prod `up` waits for EKS, Multi-AZ RDS and OpenSearch in parallel (~1 h).",
            see: "https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CreateProject.html",
        }),
    })
    .meta({
        description:
            "Continuous delivery: the GitHub repository and the in-VPC deploy runner. None: no runner (the stack is deployed from a network that reaches it).",
    });

export type CiConfig = z.infer<typeof ciSchema>;
