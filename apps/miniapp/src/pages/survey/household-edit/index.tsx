import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { POVERTY_STATUSES, type HouseholdData } from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import { errorMessage } from '../../../services/errors';
import { HOME_ROUTES, SURVEY_ROUTES } from '../../../services/routes';
import { errorsByField, formOfHousehold, householdErrors, householdPatch, type HouseholdForm } from '../../../services/survey-form';
import { clearDraft, loadDraft, saveDraft } from '../../../services/survey-sync';
import { ChoiceField, TextField } from '../components/fields';
import '../survey.scss';

/** 新增户 / 修改户信息: saved to the outbox at once, uploaded when there is a network. */
export default function HouseholdEdit() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const { params } = useRouter();
  const editId = params.id as string | undefined;
  const existing = editId && outbox ? outbox.household(editId).household : null;
  const draftName = editId ? `household.${editId}` : `household.new.${params.region ?? ''}`;
  const [form, setForm] = useState<HouseholdForm>(
    () =>
      loadDraft<HouseholdForm>(draftName) ??
      (existing ? formOfHousehold(existing) : { regionCode: (params.region as string) ?? '', address: '', headName: '', povertyStatus: null, phone: '' }),
  );
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  useEffect(() => saveDraft(draftName, form), [form]);

  if (!session || !outbox) return <View />;
  const errors = errorsByField(householdErrors(form, new Date()));
  const shown = (f: string) => (isSubmitted || (form as unknown as Record<string, unknown>)[f] ? errors[f] : null);
  const set = (patch: Partial<HouseholdForm>) => setForm((f) => ({ ...f, ...patch }));

  const save = () => {
    setIsSubmitted(true);
    if (Object.keys(errors).length) return;
    try {
      let id = editId;
      if (existing && editId) {
        const patch = householdPatch(form, existing);
        if (Object.keys(patch).length) outbox.updateHousehold(editId, patch);
      } else {
        const { regionCode, address, headName, povertyStatus } = form;
        const data: HouseholdData = { regionCode, address: address.trim(), headName: headName.trim(), povertyStatus: povertyStatus as HouseholdData['povertyStatus'] };
        if (form.phone.trim()) data.phone = form.phone.trim();
        id = outbox.createHousehold(data);
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
          <Text className='section__title'>{existing ? '修改户信息' : '新增户'}</Text>
          <Text className='section__meta'>{form.regionCode}</Text>
        </View>
        <TextField name='headName' label='户主姓名' required value={form.headName} onChange={(v) => set({ headName: v })} error={shown('headName')} maxlength={50} />
        <TextField name='address' label='住址' required value={form.address} onChange={(v) => set({ address: v })} error={shown('address')} placeholder='如 某屯12号' maxlength={200} />
        <ChoiceField
          name='povertyStatus'
          label='户类别'
          required
          options={POVERTY_STATUSES}
          value={form.povertyStatus as HouseholdData['povertyStatus'] | null}
          onChange={(v) => set({ povertyStatus: v })}
          error={isSubmitted ? errors.povertyStatus : null}
        />
        <TextField name='phone' label='联系电话' value={form.phone} onChange={(v) => set({ phone: v })} error={shown('phone')} type='number' maxlength={11} />
        {isSubmitted && errors.regionCode ? <Text className='field__error'>所在村：{errors.regionCode}</Text> : null}
      </View>
      {saveError ? <View className='section__error hh-save-error'>{saveError}</View> : null}
      <View className='btn hh-save' onClick={save}>
        保存（无网络时先存在手机上）
      </View>
    </View>
  );
}
