/**
 * Argument checks shared by the app tier's components: each collects every problem (property path
 * and reason) before anything is registered, and the component throws them as one
 * `pulumi.InputPropertiesError`, which the engine prints property by property.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../model/cidr";

export type Problem = pulumi.InputPropertyErrorDetails;

/** Throws the problems, if any, as one InputPropertiesError naming each property. */
export function failOnProblems(component: string, name: string, problems: readonly Problem[]): void {
    if (problems.length === 0) return;
    throw new pulumi.InputPropertiesError({
        message: `${component} ${name}: ${problems.map((p) => `${p.propertyPath}: ${p.reason}`).join("; ")}`,
        errors: [...problems],
    });
}

/** At least `min` CIDRs, each an IPv4 network address with its prefix. */
export function cidrListProblems(propertyPath: string, cidrs: readonly string[], min = 1): Problem[] {
    const problems: Problem[] = [];
    if (cidrs.length < min) problems.push({ propertyPath, reason: `at least ${min} CIDR${min > 1 ? "s" : ""}, got ${cidrs.length}` });
    cidrs.forEach((cidr, i) => {
        if (parseCidr(cidr) === undefined)
            problems.push({ propertyPath: `${propertyPath}[${i}]`, reason: `"${cidr}" is not an IPv4 CIDR (network address/prefix)` });
    });
    return problems;
}

/** A whole number in [min, max]. */
export function integerProblems(propertyPath: string, value: number | undefined, min: number, max: number): Problem[] {
    if (value === undefined || (Number.isInteger(value) && value >= min && value <= max)) return [];
    return [{ propertyPath, reason: `a whole number from ${min} to ${max}, got ${value}` }];
}
