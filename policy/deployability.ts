/**
 * Deployability (issue #11): AWS's own rules checked before anything is created: versions inside
 * their support window, EC2 tag specifications, physical and global names, SNS publishers,
 * service-linked roles. Each rule's source is in policy/rules/ (awsLimits.ts, supportWindows.ts)
 * or model/ (versions.ts, snsPublishers.ts).
 */
import { PolicyResource } from "@pulumi/policy";
import { serviceLinkedRolesDeclared, snsPublishersAdmitted } from "./deployabilityWiring";
import { ampDefinitionsAccepted } from "./deployabilityAmp";
import { Guardrail, T, UNKNOWN, asArray, label, peek, resourceGuardrail, stackGuardrail } from "./lib";
import { ACCOUNT_ID_PART, GLOBAL_NAME_SOURCE, NAME_LIMITS, PULUMI_SUFFIX } from "./rules/awsLimits";
import {
    ADVISORY_DAYS,
    Lookup,
    WindowVerdict,
    chartVerdict,
    eksWindow,
    elastiCacheWindow,
    lambdaWindow,
    openSearchWindow,
    rdsWindow,
    supportClock,
    windowVerdict,
} from "./rules/supportWindows";
import { sarAppRuntime } from "../model/versions";

const D = {
    helmRelease: "kubernetes:helm.sh/v3:Release",
    lambda: "aws:lambda/function:Function",
    sarStack: "aws:serverlessrepository/cloudFormationStack:CloudFormationStack",
} as const;

const str = (v: unknown): string | undefined | typeof UNKNOWN => (v === UNKNOWN ? UNKNOWN : typeof v === "string" ? v : undefined);

// ---------------------------------------------------------------------------------------------
// Versions inside their support window
// ---------------------------------------------------------------------------------------------

export const versionsInSupportWindow = stackGuardrail({
    name: "versions-in-support-window",
    description: `Every pinned version is inside its vendor's support window at plan time (EKS standard support, RDS minors that can still be created, ElastiCache and OpenSearch engines, Lambda runtimes, Helm chart <-> Kubernetes minor); advisory within ${ADVISORY_DAYS} days of the end.`,
    remediation:
        "Move the pin in model/versions.ts (and the stack file's version line) to a version inside its window, read its release notes, re-run the plan.",
    concern: "deployability",
    seed: "7 (operations), issue #11 build 3",
    why: "AWS refuses to create an RDS minor after its deprecation, bills EKS extended support ($0.60/h instead of $0.10/h) after standard support, and a chart built for another Kubernetes minor misbehaves silently.",
    types: [T.eksComponent, T.eksCluster, T.rds, T.redis, T.opensearch, D.lambda, D.sarStack, D.helmRelease],
    config: { today: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "The date to check windows on (ISO); default today (UTC)." } },
    check: ({ graph, config }, report) => {
        const today = typeof config.today === "string" ? config.today : supportClock.today();
        const verdict = (r: PolicyResource, what: string, lookup: Lookup) => {
            if ("none" in lookup) return;
            const v: WindowVerdict | undefined =
                "unknown" in lookup ? { level: "advisory", message: lookup.unknown } : windowVerdict(what, lookup.window, today);
            if (v) report(`${label(r)}: ${v.message}`, r.urn, v.level === "advisory" ? "advisory" : undefined);
        };
        const clusterVersions: string[] = [];
        for (const c of graph.ofType(T.eksComponent, T.eksCluster)) {
            const version = str(peek(() => c.props.version));
            if (typeof version !== "string") continue;
            clusterVersions.push(version);
            verdict(c, `EKS Kubernetes ${version}`, eksWindow(version));
        }
        for (const db of graph.ofType(T.rds)) {
            const [engine, version] = [str(peek(() => db.props.engine)), str(peek(() => db.props.engineVersion))];
            // A read replica inherits its source's version (no engineVersion): the source is checked.
            if (typeof engine === "string" && typeof version === "string") verdict(db, `RDS ${engine} ${version}`, rdsWindow(engine, version));
        }
        for (const cache of graph.ofType(T.redis)) {
            const [engine, version] = [str(peek(() => cache.props.engine)) ?? "redis", str(peek(() => cache.props.engineVersion))];
            if (typeof engine === "string" && typeof version === "string")
                verdict(cache, `ElastiCache ${engine} ${version}`, elastiCacheWindow(engine, version));
        }
        for (const domain of graph.ofType(T.opensearch)) {
            const version = str(peek(() => domain.props.engineVersion));
            if (typeof version === "string") verdict(domain, `OpenSearch ${version}`, openSearchWindow(version));
        }
        for (const fn of graph.ofType(D.lambda)) {
            const runtime = str(peek(() => fn.props.runtime));
            if (typeof runtime === "string") verdict(fn, `Lambda runtime ${runtime}`, lambdaWindow(runtime));
        }
        // A SAR application's function is created by its CloudFormation stack, outside the plan: its runtime comes from
        // model/versions.ts SAR_APP_RUNTIMES (issue #11 "to verify": the pinned rotation app's Lambda runtime).
        for (const app of graph.ofType(D.sarStack)) {
            const [id, version] = [str(peek(() => app.props.applicationId)), str(peek(() => app.props.semanticVersion))];
            if (typeof id !== "string" || typeof version !== "string") continue;
            const runtime = sarAppRuntime(id, version);
            const what = `SAR ${id.split("/").pop()} ${version}`;
            verdict(
                app,
                `${what}: Lambda runtime ${runtime}`,
                runtime === undefined
                    ? { unknown: `${what}: its Lambda runtime is not in model/versions.ts SAR_APP_RUNTIMES (no known window)` }
                    : lambdaWindow(runtime),
            );
        }
        // The charts run on the stack's cluster; with several clusters of different minors a release cannot be joined to one.
        const minors = [...new Set(clusterVersions)];
        if (minors.length !== 1) return;
        for (const release of graph.ofType(D.helmRelease)) {
            const [chart, version] = [str(peek(() => release.props.chart)), str(peek(() => release.props.version))];
            if (typeof chart !== "string" || typeof version !== "string") continue;
            const v = chartVerdict(chart, version, minors[0]);
            if (v) report(`${label(release)}: ${v.message}`, release.urn, v.level === "advisory" ? "advisory" : undefined);
        }
    },
});

// ---------------------------------------------------------------------------------------------
// EC2 tag specifications
// ---------------------------------------------------------------------------------------------

export const tagSpecificationsNotEmpty = resourceGuardrail({
    name: "ec2-tag-specifications-not-empty",
    description: "Every EC2 launch template tag specification carries at least one tag (EC2 refuses an empty one).",
    remediation:
        "Give each tagSpecifications entry its tags (the provider's defaultTags do not reach tagSpecifications), or drop the entry for that resource type.",
    concern: "deployability",
    seed: "issue #11 finding 5",
    why: "CreateLaunchTemplate with a TagSpecification whose Tags list is empty fails with InvalidTagSpecification.Malformed; defaultTags are applied to the template's own tags only (terraform-provider-aws #19387).",
    types: [T.launchTemplate],
    check: ({ props }, report) => {
        const specs = peek(() => props.tagSpecifications as Record<string, unknown>[] | undefined);
        if (specs === UNKNOWN) return;
        asArray(specs).forEach((spec, i) => {
            const tags = peek(() => spec.tags as Record<string, unknown> | undefined);
            if (tags === UNKNOWN) return;
            if (tags === undefined || tags === null || Object.keys(tags).length === 0)
                report(`tagSpecifications[${i}] (${String(peek(() => spec.resourceType) ?? "?")}) has no tags: EC2 answers InvalidTagSpecification.Malformed`);
        });
    },
});

// ---------------------------------------------------------------------------------------------
// Physical names within AWS limits; global names carry the account id
// ---------------------------------------------------------------------------------------------

export const physicalNamesWithinLimits = resourceGuardrail({
    name: "physical-names-within-aws-limits",
    description: `Every physical name fits AWS's limit for its type (policy/rules/awsLimits.ts), auto-names included: Pulumi appends ${PULUMI_SUFFIX} characters to the logical name.`,
    remediation: "Shorten the name (model/names.ts builds them), or set an explicit name that fits; for an auto-named resource shorten its logical name.",
    concern: "deployability",
    seed: "issue #11 build 3",
    why: "A name over the limit fails the create call (or Pulumi's auto-naming) in the middle of a first deploy, after everything before it was created.",
    types: NAME_LIMITS.map((l) => l.type),
    check: ({ type, name, props }, report) => {
        for (const limit of NAME_LIMITS.filter((l) => l.type === type)) {
            const value = peek(() => props[limit.prop]);
            if (value === UNKNOWN) continue;
            if (typeof value === "string" && value !== "") {
                if (value.length > limit.max) report(`${limit.prop} "${value}" is ${value.length} characters; AWS allows ${limit.max} (${limit.source})`);
                continue;
            }
            const prefix = limit.prefixProp ? peek(() => props[limit.prefixProp!]) : undefined;
            if (prefix === UNKNOWN) continue;
            if (typeof prefix === "string" && prefix !== "") {
                if (limit.prefixMax !== undefined && prefix.length > limit.prefixMax)
                    report(
                        `${limit.prefixProp} "${prefix}" is ${prefix.length} characters; the provider allows ${limit.prefixMax} before its unique suffix (${limit.source})`,
                    );
                continue;
            }
            if (limit.autoNamed && name.length + PULUMI_SUFFIX > limit.max)
                report(
                    `auto-named: "${name}" plus Pulumi's ${PULUMI_SUFFIX}-character suffix is ${name.length + PULUMI_SUFFIX} characters; AWS allows ${limit.max} (${limit.source})`,
                );
        }
    },
});

export const globalNamesCarryAccount = resourceGuardrail({
    name: "global-names-carry-account-id",
    description: "S3 bucket names (one namespace for every AWS account) carry the owning account id.",
    remediation: "Name the bucket with model/names.ts accountBucketName(stack, purpose, accountId).",
    concern: "deployability",
    seed: "issue #11 finding 15",
    why: "Bucket names are global: a name without the account id can be created by anyone first, and then this stack's create fails (or, for a name another stack expects, writes go to someone else's bucket).",
    types: [T.bucket, T.bucketV2],
    check: ({ props }, report) => {
        const bucket = peek(() => props.bucket);
        const prefix = peek(() => props.bucketPrefix);
        if (bucket === UNKNOWN || prefix === UNKNOWN) return;
        const named = typeof bucket === "string" && bucket !== "" ? bucket : typeof prefix === "string" && prefix !== "" ? prefix : undefined;
        if (named === undefined) report(`auto-named bucket: its name carries no account id (${GLOBAL_NAME_SOURCE})`);
        else if (!ACCOUNT_ID_PART.test(named)) report(`bucket name "${named}" carries no account id (${GLOBAL_NAME_SOURCE})`);
    },
});

export { serviceLinkedRolesDeclared, snsPublishersAdmitted };
export { ampDefinitionsAccepted };

export const deployabilityPolicies: Guardrail[] = [
    versionsInSupportWindow,
    tagSpecificationsNotEmpty,
    physicalNamesWithinLimits,
    globalNamesCarryAccount,
    snsPublishersAdmitted,
    serviceLinkedRolesDeclared,
    // issue #13: what AMP checks on a rules file and an Alertmanager definition.
    ampDefinitionsAccepted,
];
