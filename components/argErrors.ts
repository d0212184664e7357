/**
 * Argument validation for components, run at the top of a constructor before anything registers: every
 * problem is collected, then one `pulumi.InputPropertiesError` names each property (the engine prints them
 * as a list), so a user fixes them all in one go instead of one per `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../model/retention";

export class ArgErrors {
    private readonly errors: { propertyPath: string; reason: string }[] = [];

    /** `component` names the resource in the message, e.g. `NetworkTier network`. */
    constructor(private readonly component: string) {}

    /** Records `reason` against `propertyPath` unless `ok`. */
    check(ok: boolean, propertyPath: string, reason: string): this {
        if (!ok) this.errors.push({ propertyPath, reason });
        return this;
    }

    /** A list that must hold at least `min` entries (subnets, CIDRs...). */
    atLeast(list: readonly unknown[] | undefined, min: number, propertyPath: string, what: string): this {
        return this.check(list === undefined || list.length >= min, propertyPath, `has ${list?.length ?? 0} ${what}; at least ${min} required`);
    }

    /** A whole number in [min, max] when given. */
    integer(value: number | undefined, min: number, max: number, propertyPath: string): this {
        return this.check(
            value === undefined || (Number.isInteger(value) && value >= min && value <= max),
            propertyPath,
            `${value} is not a whole number from ${min} to ${max}`,
        );
    }

    /** A CloudWatch Logs retention when given (the service accepts only a fixed list of day counts). */
    logRetention(days: number | undefined, propertyPath: string): this {
        return this.check(
            days === undefined || (LOG_RETENTION_DAYS as readonly number[]).includes(days),
            propertyPath,
            `${days} days is not a retention CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(", ")})`,
        );
    }

    /** Throws the collected problems as one InputPropertiesError, if any. */
    throwIfAny(): void {
        if (this.errors.length === 0) return;
        throw new pulumi.InputPropertiesError({
            message: `${this.component}: ${this.errors.map((e) => `${e.propertyPath} ${e.reason}`).join("; ")}`,
            errors: [...this.errors],
        });
    }
}

/** Validates with `checks` and throws every problem at once. */
export function validateArgs(component: string, checks: (errors: ArgErrors) => void): void {
    const errors = new ArgErrors(component);
    checks(errors);
    errors.throwIfAny();
}
