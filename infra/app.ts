/** The CDK app entry (`cdk.json`): one `Roster-<env>` stack for `-c env=<env>`. */
import { App } from 'aws-cdk-lib';
import { addRosterStack } from './roster-app';

const app = new App();
try {
  addRosterStack(app);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
app.synth();
