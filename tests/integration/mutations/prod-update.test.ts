/** The mutation suite's rows on the prod stack's update plan (see ../mutationSuite.ts). */
import { describeMutations } from "../mutationSuite";

describeMutations("prod", "update");
