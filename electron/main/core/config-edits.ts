import {
  checkConfig,
  EmailSchema,
  RuleSchema,
  TargetSchema,
  type Config,
  type EmailInput,
  type RuleInput,
  type Target,
  type TargetInput,
} from '../../../shared/config-schema';
import { maskConfig, restoreSecrets, SECRET_MASK } from '../../../shared/secrets';
import type { ConfigStore } from '../config/config-store';
import { ValidationError } from './field-errors';
import { requireById, upsertById, withoutId } from './list-edits';

/**
 * The config changes behind the API (targets, rules, email settings): each validated as
 * the dashboard's form sends it, written through the ConfigStore, and answered with the
 * masked config, since secrets are write-only over the API (shared/secrets.ts).
 */
export class ConfigEdits {
  constructor(private readonly config: ConfigStore) {}

  masked(): Config {
    return maskConfig(this.config.get());
  }

  /** A target from the editor: masked secrets replaced by the stored ones, then parsed. */
  parseTarget(input: TargetInput): Target {
    const id = (input as { id?: unknown }).id;
    const stored = this.config.get().targets.find((t) => t.id === id);
    const r = restoreSecrets(input, stored);
    if ('errors' in r) throw new ValidationError(r.errors);
    const parsed = TargetSchema.safeParse(r.target);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    return parsed.data;
  }

  async saveTarget(input: TargetInput): Promise<Config> {
    const target = this.parseTarget(input);
    return this.change((cfg) => {
      upsertById(cfg.targets, [target]);
      const problems = checkConfig(cfg);
      if (problems.length > 0)
        throw new ValidationError(
          problems.map((p) => {
            const [path, ...rest] = p.split(': ');
            return { path: path.replace(/^targets\[\d+\]\./, ''), message: rest.join(': ') };
          }),
        );
    });
  }

  async deleteTarget(id: string): Promise<Config> {
    return this.change((cfg) => {
      cfg.targets = withoutId(cfg.targets, id, 'target');
      for (const t of cfg.targets) if (t.dependsOn === id) delete t.dependsOn;
    });
  }

  async setTargetEnabled(id: string, enabled: boolean): Promise<Config> {
    return this.change((cfg) => {
      requireById(cfg.targets, id, 'target').enabled = enabled;
    });
  }

  async saveRule(input: RuleInput): Promise<Config> {
    const parsed = RuleSchema.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const rule = parsed.data;
    return this.change((cfg) => {
      upsertById(cfg.rules, [rule]);
    });
  }

  async deleteRule(id: string): Promise<Config> {
    return this.change((cfg) => {
      cfg.rules = withoutId(cfg.rules, id, 'rule');
    });
  }

  async setRuleEnabled(id: string, enabled: boolean): Promise<Config> {
    return this.change((cfg) => {
      requireById(cfg.rules, id, 'rule').enabled = enabled;
    });
  }

  async saveEmail(input: EmailInput | null): Promise<Config> {
    if (input === null)
      return this.change((cfg) => {
        delete cfg.alerts.email;
      });
    // The form shows the password masked; sent back unchanged, it keeps the stored one.
    const stored = this.config.get().alerts.email;
    const withPass = input.pass === SECRET_MASK ? { ...input, pass: stored?.pass } : input;
    const parsed = EmailSchema.safeParse(withPass);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    return this.change((cfg) => {
      cfg.alerts.email = parsed.data;
    });
  }

  private async change(change: (draft: Config) => void): Promise<Config> {
    return maskConfig(await this.config.update(change));
  }
}
