/** The mutation suite's rows on the dr stack's update plan (see ../mutationSuite.ts). */
import { describeMutations } from "../mutationSuite";

describeMutations("dr", "update");
