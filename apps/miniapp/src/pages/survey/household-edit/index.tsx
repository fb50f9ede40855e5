import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { POVERTY_STATUSES, type HouseholdData } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { useRegionName } from '../../../hooks/use-region-name';
import { errorMessage } from '../../../services/errors';
import { HOME_ROUTES, SURVEY_ROUTES } from '../../../services/routes';
import type { HouseholdRecord } from '../../../services/outbox';
import { errorsByField, fieldLabel, formOfHousehold, householdErrors, householdPatch, serverFieldErrors, type HouseholdForm } from '../../../services/survey-form';
import { clearDraft, loadDraft, saveDraft } from '../../../services/survey-sync';
import { ChoiceField, TextField } from '../components/fields';
import '../survey.scss';

/** The fields this form shows (a server reason about any other is shown at the top). */
const SHOWN_FIELDS = new Set(['headName', 'address', 'povertyStatus', 'phone']);

function toCreateData(form: HouseholdForm): HouseholdData {
  const { regionCode, address, headName, povertyStatus } = form;
  const data: HouseholdData = { regionCode, address: address.trim(), headName: headName.trim(), povertyStatus: povertyStatus as HouseholdData['povertyStatus'] };
  if (form.phone.trim()) data.phone = form.phone.trim();
  return data;
}

/**
 * 新增户 / 修改户信息: saved to the outbox at once, uploaded when there is a network. With `fix`
 * (from the sync center) it corrects a refused op: the refused values, the server's reason beside
 * each field it names, and saving resends that op with the corrections.
 */
export default function HouseholdEdit() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const { params } = useRouter();
  const editId = params.id as string | undefined;
  const fixOpId = params.fix as string | undefined;
  const [refused] = useState(() => (fixOpId && outbox ? outbox.rejected(fixOpId) : null));
  const isFixingCreate = refused?.op.type === 'household.create';
  const existing = editId && outbox && !isFixingCreate ? outbox.household(editId).household : null;
  const draftName = fixOpId ? `household.fix.${fixOpId}` : editId ? `household.${editId}` : `household.new.${params.region ?? ''}`;
  const [form, setForm] = useState<HouseholdForm>(() => {
    if (refused) return formOfHousehold({ ...(existing ?? {}), ...refused.op.data } as HouseholdRecord);
    return (
      loadDraft<HouseholdForm>(draftName) ??
      (existing ? formOfHousehold(existing) : { regionCode: (params.region as string) ?? '', address: '', headName: '', povertyStatus: null, phone: '' })
    );
  });
  const [serverErrors, setServerErrors] = useState<Record<string, string>>(() => serverFieldErrors(refused?.fields));
  const villageName = useRegionName(form.regionCode);
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  useEffect(() => saveDraft(draftName, form), [form]);

  if (!session || !outbox) return <View />;
  if (fixOpId && !refused) {
    return (
      <View className='survey household-edit'>
        <View className='section'>
          <Text className='section__empty hh-fix-gone'>这条记录已不在需要处理的列表中</Text>
        </View>
      </View>
    );
  }
  const errors = errorsByField(householdErrors(form, new Date()));
  // The server's reason stays beside its field until the officer changes that field.
  const shown = (f: string) => (isSubmitted || (form as unknown as Record<string, unknown>)[f] ? errors[f] : null) ?? serverErrors[f] ?? null;
  const set = (patch: Partial<HouseholdForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !(k in patch))));
  };

  const save = () => {
    setIsSubmitted(true);
    if (Object.keys(errors).length) return;
    try {
      let id = editId;
      if (refused && fixOpId) {
        outbox.amend(fixOpId, isFixingCreate ? toCreateData(form) : existing ? householdPatch(form, existing) : refused.op.data);
        clearDraft(draftName);
        void outbox.sync();
        void Taro.navigateBack().catch(() => Taro.redirectTo({ url: SURVEY_ROUTES.sync }));
        return;
      }
      if (existing && editId) {
        const patch = householdPatch(form, existing);
        if (Object.keys(patch).length) outbox.updateHousehold(editId, patch);
      } else {
        id = outbox.createHousehold(toCreateData(form));
      }
      clearDraft(draftName);
      void outbox.sync();
      void Taro.redirectTo({ url: `${SURVEY_ROUTES.household}?id=${id}` });
    } catch (err) {
      setSaveError(`保存失败：${errorMessage(err)}（手机存储空间可能已满）`);
    }
  };

  return (
    <View className='survey household-edit'>
      <View className='section'>
        <View className='section__head'>
          <Text className='section__title'>{refused ? '修改后重新提交' : existing ? '修改户信息' : '新增户'}</Text>
          {/* The village by its name; its code only while the name is not on the phone and there is no network. */}
          <Text className='section__meta hh-village'>{villageName ?? (form.regionCode ? `村代码 ${form.regionCode}` : '')}</Text>
        </View>
        {refused ? (
          <View className='section__error hh-refused'>
            <Text>
              服务器未通过：{refused.message}
              {Object.keys(serverErrors).filter((f) => !SHOWN_FIELDS.has(f)).map((f) => `（${fieldLabel(f)}：${serverErrors[f]}）`).join('')}
            </Text>
          </View>
        ) : null}
        <TextField name='headName' label='户主姓名' required value={form.headName} onChange={(v) => set({ headName: v })} error={shown('headName')} maxlength={50} />
        <TextField name='address' label='住址' required value={form.address} onChange={(v) => set({ address: v })} error={shown('address')} placeholder='如 某屯12号' maxlength={200} />
        <ChoiceField
          name='povertyStatus'
          label='户类别'
          required
          options={POVERTY_STATUSES}
          value={form.povertyStatus as HouseholdData['povertyStatus'] | null}
          onChange={(v) => set({ povertyStatus: v })}
          error={(isSubmitted ? errors.povertyStatus : null) ?? serverErrors.povertyStatus ?? null}
        />
        <TextField name='phone' label='联系电话' value={form.phone} onChange={(v) => set({ phone: v })} error={shown('phone')} type='number' maxlength={11} />
        {isSubmitted && errors.regionCode ? <Text className='field__error'>所在村：{errors.regionCode}</Text> : null}
      </View>
      {saveError ? <View className='section__error hh-save-error'>{saveError}</View> : null}
      <View className='btn hh-save' onClick={save}>
        {refused ? '保存并重新提交' : '保存（无网络时先存在手机上）'}
      </View>
    </View>
  );
}
