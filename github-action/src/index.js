// The entry point GitHub runs (bundled into dist/index.js): ./main.js holds the logic, so that
// @github/local-action can call its run() with a stubbed @actions/core.
import { run } from './main.js'

run()
