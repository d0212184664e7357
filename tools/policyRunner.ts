/**
 * Evaluates the policy pack against a plan. The pack lands with issue #6; until then a plan
 * carries no violations (the `violations` field of the plan JSON stays empty).
 */
import { Plan, PlanViolation } from "./offline";

export async function evaluatePlan(_plan: Plan): Promise<PlanViolation[]> {
    return [];
}
