// The version the CLI reports (SARIF's tool.driver.version), from package.json.
import packageJson from '../../package.json';

export const TOOL_VERSION: string = packageJson.version;
