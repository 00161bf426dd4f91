import type { Config } from '../../../shared/config-schema';
import { errorText } from '../api/errors';
import type { AppState } from '../state';

/**
 * Applies a one-click config change (enable, disable, delete) through the API. A refusal is
 * shown to the user, since such a change has no form to put the error next to; true when
 * the change was applied.
 */
export async function applyConfigChange(
  state: AppState,
  change: () => Promise<Config>,
): Promise<boolean> {
  try {
    state.setConfig(await change());
    return true;
  } catch (err) {
    alert(errorText(err));
    return false;
  }
}
