/**
 * What every `pulumi preview`/`up` run through the Automation API (the failover and release tools) passes, like the
 * documented commands and the workflows: the policy pack in `policy/` and the stack's own policy config. Without the
 * config the pack runs with its defaults (dr's pilot-light floor then blocks); without the pack nothing is checked.
 */
import * as path from "node:path";
import { REPO_ROOT } from "./offline";

/** The pack and the stack's policy config, for a stack name as the tools take it (`dr` or `org/hybrid-platform/dr`). */
export function policyPackOptions(stackName: string): { policyPacks: string[]; policyPackConfigs: string[] } {
    const stack = stackName.split("/").pop()!;
    return { policyPacks: [path.join(REPO_ROOT, "policy")], policyPackConfigs: [path.join(REPO_ROOT, "policy", "config", `${stack}.json`)] };
}
