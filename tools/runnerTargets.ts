/**
 * Phase 1 of a new stack's first `pulumi up` (README "First deploy of a new account"): the `--target` list that
 * creates only the in-VPC deploy runner and everything it needs, from the offline plan.
 *
 * Pulumi has `--target` and `--target-dependents`, but no flag that pulls in a target's dependencies: a targeted
 * resource whose dependency is neither targeted nor already created fails the update ("depends on ... which was
 * not specified in --target list"). So the list is the closure: the runner's resources, every resource they depend
 * on (URN dependencies and property dependencies, transitively), and the parents of each (a child cannot be created
 * under a component that does not exist). The URNs are those of the real run: same stack, project and names.
 * @see https://www.pulumi.com/docs/iac/guides/basics/targeted-updates/
 * @see https://github.com/pulumi/pulumi/issues/5869
 */
import { Plan } from "./offline";

export const RUNNER_TYPE = "hybrid:delivery:DeployRunner";

/** The URNs phase 1 targets, in plan order; empty when the stack has no deploy runner (no `ci:` section). */
export function runnerTargets(plan: Plan): string[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const runners = plan.resources.filter((r) => r.type === RUNNER_TYPE);
    if (runners.length === 0) return [];
    const wanted = new Set<string>();
    const visit = (urn: string | null): void => {
        if (!urn || wanted.has(urn)) return;
        const resource = byUrn.get(urn);
        if (!resource) return; // the stack itself and default providers are always targeted
        wanted.add(urn);
        visit(resource.parent);
        resource.dependencies.forEach(visit);
        Object.values(resource.propertyDependencies).flat().forEach(visit);
    };
    // The runner and every descendant of it.
    for (const r of plan.resources) {
        for (let p: string | null = r.urn; p; p = byUrn.get(p)?.parent ?? null) {
            if (runners.some((runner) => runner.urn === p)) {
                visit(r.urn);
                break;
            }
        }
    }
    return plan.resources.filter((r) => wanted.has(r.urn) && r.type !== "pulumi:pulumi:Stack").map((r) => r.urn);
}

/** The arguments for `pulumi up`, one per line: `--target <urn>`. */
export function runnerTargetArgs(plan: Plan): string {
    return runnerTargets(plan)
        .map((urn) => `--target ${urn}`)
        .join("\n");
}
