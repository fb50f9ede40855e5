import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import {
  DISABILITY_GRADES,
  DISABILITY_TYPES,
  EDUCATION_LEVELS,
  EMPLOYMENT_STATUSES,
  HEALTH_STATUSES,
  JOB_CATEGORIES,
  JOB_CATEGORY_GROUPS,
  LABORER_FIELD_LABELS,
  MIGRATION_STATUSES,
  RELATIONS_TO_HEAD,
  RETURN_REASONS,
  SERVICE_NEEDS,
  SEX_LABELS,
  TRAINING_TYPES,
  WORK_SCOPES,
  isEmployedStatus,
  type LaborerData,
} from '@jobbridge/shared';
import { useHomeSession } from '../../../hooks/use-home-session';
import { useOutbox } from '../../../hooks/use-outbox';
import type { LaborerRecord } from '../../../services/outbox';
import { errorMessage } from '../../../services/errors';
import { HOME_ROUTES, SURVEY_ROUTES, servicesRoute } from '../../../services/routes';
import {
  EMPTY_LABORER_FORM,
  LABORER_STEPS,
  displayValue,
  errorsByField,
  errorsOfStep,
  formOfLaborer,
  idNumberHint,
  laborerErrors,
  laborerPatch,
  serverFieldErrors,
  toLaborerData,
  type LaborerForm,
} from '../../../services/survey-form';
import { clearDraft, loadDraft, saveDraft } from '../../../services/survey-sync';
import { ChoiceField, DateField, MultiChoiceField, TextField, YesNoField } from '../components/fields';
import '../survey.scss';

type Code<K extends keyof LaborerData> = NonNullable<LaborerData[K]>;

interface Draft {
  form: LaborerForm;
  step: number;
}

/** The step a field is asked in. */
const stepOf = (field: string) => LABORER_STEPS.findIndex((s) => (s.fields as readonly string[]).includes(field));

/**
 * The laborer survey in five steps; every keystroke is kept as a draft, saving queues an op. With
 * `fix` (from the sync center) it corrects a refused op: the refused values, opened at the first
 * step the server's reasons name, each reason beside its field, and saving resends that op.
 */
export default function LaborerSurvey() {
  const session = useHomeSession(HOME_ROUTES.officer);
  const outbox = useOutbox(session !== null);
  const { params } = useRouter();
  const editId = params.id as string | undefined;
  const fixOpId = params.fix as string | undefined;
  const [refused] = useState(() => (fixOpId && outbox ? outbox.rejected(fixOpId) : null));
  const isFixingCreate = refused?.op.type === 'laborer.create';
  // A refused registration is not on the phone's copy: its own data is the record.
  const existing = isFixingCreate ? null : editId && outbox ? outbox.laborer(editId) : null;
  const householdId = existing?.householdId ?? (isFixingCreate ? String(refused.op.data.householdId ?? '') : ((params.householdId as string) ?? ''));
  const draftName = fixOpId ? `laborer.fix.${fixOpId}` : editId ? `laborer.${editId}` : `laborer.new.${householdId}`;
  const [serverErrors, setServerErrors] = useState<Record<string, string>>(() => serverFieldErrors(refused?.fields));
  const [draft, setDraft] = useState<Draft>(() => {
    if (refused) {
      const form = formOfLaborer({ ...(existing ?? { id: refused.op.entityId, householdId: householdId, name: '', version: 0 }), ...refused.op.data } as LaborerRecord);
      if (isFixingCreate) form.idNumber = String(refused.op.data.idNumber ?? '');
      const steps = Object.keys(serverErrors).map(stepOf).filter((i) => i >= 0);
      return { form, step: steps.length ? Math.min(...steps) : 0 };
    }
    return loadDraft<Draft>(draftName) ?? { form: existing ? formOfLaborer(existing) : EMPTY_LABORER_FORM, step: 0 };
  });
  const [touched, setTouched] = useState<Record<number, boolean>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [jobGroup, setJobGroup] = useState<string>(JOB_CATEGORY_GROUPS[0].code);
  const { form, step } = draft;

  useEffect(() => saveDraft(draftName, draft), [draft]);

  if (!session || !outbox) return <View />;
  if (fixOpId && !refused) {
    return (
      <View className='survey'>
        <View className='section'>
          <Text className='section__empty lf-fix-gone'>这条记录已不在需要处理的列表中</Text>
        </View>
      </View>
    );
  }
  if (!householdId || (editId && !existing && !isFixingCreate)) {
    return (
      <View className='survey'>
        <View className='section'>
          <Text className='section__empty'>本机没有这条记录，请先同步</Text>
        </View>
      </View>
    );
  }

  const now = new Date();
  const isEdit = Boolean(existing);
  const allErrors = laborerErrors(form, householdId, now, isEdit);
  const current = LABORER_STEPS[step];
  const stepErrs = errorsOfStep(allErrors, current);
  // A registered laborer's birth date never comes back from the server (with the masked ID it would give the ID away): the age does.
  const idHint = isEdit ? { error: null, birthDate: null, sex: existing?.sex ?? null } : idNumberHint(form.idNumber, now);
  const ageText = isEdit && typeof existing?.age === 'number' ? `${existing.age}岁` : null;
  const errorOf = (f: keyof LaborerForm) => {
    if (f === 'idNumber' && idHint.error) return idHint.error;
    // The server's reason stays beside its field until the officer changes that field.
    if (serverErrors[f]) return stepErrs[f] ?? serverErrors[f];
    if (!touched[step] && (form[f] === '' || form[f] === null)) return null;
    return stepErrs[f] ?? null;
  };
  const set = (patch: Partial<LaborerForm>) => {
    setDraft((d) => ({ ...d, form: { ...d.form, ...patch } }));
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !(k in patch))));
  };
  const go = (to: number) => setDraft((d) => ({ ...d, step: to }));

  const next = () => {
    setTouched((t) => ({ ...t, [step]: true }));
    if (Object.keys(stepErrs).length === 0) go(step + 1);
  };

  const save = () => {
    if (Object.keys(allErrors).length) {
      const first = LABORER_STEPS.findIndex((s) => Object.keys(errorsOfStep(allErrors, s)).length > 0);
      setTouched((t) => ({ ...t, [first]: true }));
      go(Math.max(first, 0));
      return;
    }
    try {
      if (refused && fixOpId) {
        outbox.amend(fixOpId, isFixingCreate ? toLaborerData(form, householdId, now) : existing ? laborerPatch(form, existing, now) : refused.op.data);
        clearDraft(draftName);
        void outbox.sync();
        void Taro.navigateBack().catch(() => Taro.redirectTo({ url: SURVEY_ROUTES.sync }));
        return;
      }
      if (existing && editId) {
        const patch = laborerPatch(form, existing, now);
        if (Object.keys(patch).length) outbox.updateLaborer(editId, patch as Partial<LaborerData>);
      } else {
        outbox.createLaborer(toLaborerData(form, householdId, now) as unknown as LaborerData);
      }
      clearDraft(draftName);
      void outbox.sync();
      void Taro.navigateBack().catch(() => Taro.redirectTo({ url: `/pages/survey/household/index?id=${householdId}` }));
    } catch (err) {
      setSaveError(`保存失败：${errorMessage(err)}（手机存储空间可能已满）`);
    }
  };

  const employed = isEmployedStatus(form.employmentStatus);
  const moved = form.migrationStatus === 'away' || form.migrationStatus === 'returned';
  const data = toLaborerData(form, householdId, now);

  return (
    <View className='survey laborer-form'>
      {refused ? (
        <View className='section__error lf-refused'>
          <Text>服务器未通过：{refused.message}。请改正后点“保存”重新提交。</Text>
        </View>
      ) : null}
      {existing && editId && !refused ? (
        <View className='sync-bar lf-services' onClick={() => void Taro.navigateTo({ url: servicesRoute(editId, existing.name) })}>
          <Text>就业服务：推荐岗位、“311”、绑定码</Text>
          <Text>进入 ›</Text>
        </View>
      ) : null}
      <View className='steps'>
        {LABORER_STEPS.map((s, i) => (
          <View key={s.key} className={`steps__item step-${s.key}${i === step ? ' steps__item--on' : ''}${i < step ? ' steps__item--done' : ''}`} onClick={() => i < step && go(i)}>
            <Text className='steps__num'>{i + 1}</Text>
            <Text className='steps__title'>{s.title}</Text>
          </View>
        ))}
      </View>

      <View className='section'>
        <View className='section__head'>
          <Text className='section__title lf-step-title'>{current.title}</Text>
          <Text className='section__meta'>{refused ? '修改后重新提交' : isEdit ? `修改 ${existing?.name}` : '新登记'}</Text>
        </View>

        {current.key === 'identity' ? (
          <View>
            <TextField name='name' label='姓名' required value={form.name} onChange={(v) => set({ name: v })} error={errorOf('name')} maxlength={50} />
            <TextField
              name='idNumber'
              label='身份证号'
              required
              type='idcard'
              maxlength={18}
              disabled={isEdit}
              value={form.idNumber}
              onChange={(v) => set({ idNumber: v.toUpperCase() })}
              error={errorOf('idNumber')}
              hint={
                idHint.birthDate ? (
                  <Text className='lf-id-info'>
                    出生日期 {idHint.birthDate} · 性别 {idHint.sex ? SEX_LABELS[idHint.sex] : ''}
                  </Text>
                ) : ageText ? (
                  <Text className='lf-id-info'>
                    年龄 {ageText} · 性别 {idHint.sex ? SEX_LABELS[idHint.sex] : ''}
                  </Text>
                ) : isEdit ? null : (
                  <Text className='muted'>输入18位后自动识别出生日期和性别，并核对校验位</Text>
                )
              }
            />
            <TextField name='phone' label='手机号' type='number' maxlength={11} value={form.phone} onChange={(v) => set({ phone: v })} error={errorOf('phone')} />
            <ChoiceField name='relationToHead' label='与户主关系' options={RELATIONS_TO_HEAD} value={form.relationToHead as Code<'relationToHead'> | null} onChange={(v) => set({ relationToHead: v })} error={errorOf('relationToHead')} />
          </View>
        ) : null}

        {current.key === 'situation' ? (
          <View>
            <ChoiceField name='education' label='文化程度' required options={EDUCATION_LEVELS} value={form.education as Code<'education'> | null} onChange={(v) => set({ education: v })} error={errorOf('education')} />
            <ChoiceField name='health' label='健康状况' required options={HEALTH_STATUSES} value={form.health as Code<'health'> | null} onChange={(v) => set({ health: v })} error={errorOf('health')} />
            {form.health === 'disabled' ? (
              <View>
                <ChoiceField name='disabilityType' label='残疾类别' required options={DISABILITY_TYPES} value={form.disabilityType as Code<'disabilityType'> | null} onChange={(v) => set({ disabilityType: v })} error={stepErrs.disabilityType && touched[step] ? stepErrs.disabilityType : null} />
                <ChoiceField name='disabilityGrade' label='残疾等级' required options={DISABILITY_GRADES} value={form.disabilityGrade as Code<'disabilityGrade'> | null} onChange={(v) => set({ disabilityGrade: v })} error={stepErrs.disabilityGrade && touched[step] ? stepErrs.disabilityGrade : null} />
              </View>
            ) : null}
            <TextField name='skills' label='技能特长（用逗号分隔）' value={form.skills} onChange={(v) => set({ skills: v })} error={errorOf('skills')} />
            <TextField name='certificates' label='职业资格证书（用逗号分隔）' value={form.certificates} onChange={(v) => set({ certificates: v })} error={errorOf('certificates')} />
            <YesNoField name='isHardToEmploy' label='是否就业困难人员' value={form.isHardToEmploy} onChange={(v) => set({ isHardToEmploy: v })} />
          </View>
        ) : null}

        {current.key === 'employment' ? (
          <View>
            <ChoiceField name='employmentStatus' label='就业状态' required options={EMPLOYMENT_STATUSES} value={form.employmentStatus as Code<'employmentStatus'> | null} onChange={(v) => set({ employmentStatus: v })} error={errorOf('employmentStatus')} />
            {employed ? (
              <View>
                <TextField name='employer' label='就业单位' value={form.employer} onChange={(v) => set({ employer: v })} error={errorOf('employer')} />
                <TextField name='workPlace' label='就业地点' value={form.workPlace} onChange={(v) => set({ workPlace: v })} error={errorOf('workPlace')} />
                <DateField name='employedSince' label='就业开始日期' value={form.employedSince} onChange={(v) => set({ employedSince: v })} error={errorOf('employedSince')} />
                <TextField name='monthlyIncome' label='月收入(元)' type='number' maxlength={7} value={form.monthlyIncome} onChange={(v) => set({ monthlyIncome: v })} error={errorOf('monthlyIncome')} />
              </View>
            ) : null}
            <ChoiceField name='migrationStatus' label='外出状态' required options={MIGRATION_STATUSES} value={form.migrationStatus as Code<'migrationStatus'> | null} onChange={(v) => set({ migrationStatus: v })} error={errorOf('migrationStatus')} />
            {moved ? (
              <View>
                <TextField name='awayPlace' label='外出地点' placeholder='如 广东省江门市' value={form.awayPlace} onChange={(v) => set({ awayPlace: v })} error={errorOf('awayPlace')} />
                <DateField name='awaySince' label='外出时间' value={form.awaySince} onChange={(v) => set({ awaySince: v })} error={errorOf('awaySince')} />
              </View>
            ) : null}
            {form.migrationStatus === 'returned' ? (
              <View>
                <DateField name='returnedAt' label='返乡时间' required value={form.returnedAt} onChange={(v) => set({ returnedAt: v })} error={touched[step] ? stepErrs.returnedAt ?? null : errorOf('returnedAt')} />
                <ChoiceField name='returnReason' label='返乡原因' required options={RETURN_REASONS} value={form.returnReason as Code<'returnReason'> | null} onChange={(v) => set({ returnReason: v })} error={touched[step] ? stepErrs.returnReason ?? null : null} />
              </View>
            ) : null}
          </View>
        ) : null}

        {current.key === 'needs' ? (
          <View>
            <MultiChoiceField name='serviceNeeds' label='服务需求' options={SERVICE_NEEDS} exclusive='none' value={form.serviceNeeds} onChange={(v) => set({ serviceNeeds: v })} error={errorOf('serviceNeeds')} />
            <View className='field field-wantedJobCategories'>
              <Text className='field__label'>意向工种（已选 {form.wantedJobCategories.length} 项，最多10项）</Text>
              {/* Which group's jobs are listed: tabs, not answers (the chosen jobs are the chips below). */}
              <View className='group-tabs job-groups'>
                {JOB_CATEGORY_GROUPS.map((g) => {
                  const picked = JOB_CATEGORIES.filter((c) => c.group === g.code && form.wantedJobCategories.includes(c.code)).length;
                  return (
                    <Text key={g.code} className={`group-tab${jobGroup === g.code ? ' group-tab--on' : ''}`} onClick={() => setJobGroup(g.code)}>
                      {g.label}
                      {picked ? `·${picked}` : ''}
                    </Text>
                  );
                })}
              </View>
              <MultiChoiceField
                name='wantedJobCategories'
                label='选择工种'
                options={JOB_CATEGORIES.filter((c) => c.group === jobGroup)}
                value={form.wantedJobCategories}
                onChange={(v) => set({ wantedJobCategories: v })}
                error={errorOf('wantedJobCategories')}
              />
            </View>
            <MultiChoiceField name='workScopes' label='意向就业地域' options={WORK_SCOPES} value={form.workScopes} onChange={(v) => set({ workScopes: v })} error={errorOf('workScopes')} />
            <TextField name='preferredPlaces' label='意向城市/地点（用逗号分隔）' value={form.preferredPlaces} onChange={(v) => set({ preferredPlaces: v })} error={errorOf('preferredPlaces')} />
            <TextField name='minMonthlyWage' label='最低期望月薪(元)' type='number' maxlength={6} value={form.minMonthlyWage} onChange={(v) => set({ minMonthlyWage: v })} error={errorOf('minMonthlyWage')} />
            <YesNoField name='needsBoardLodging' label='是否需要包吃住' value={form.needsBoardLodging} onChange={(v) => set({ needsBoardLodging: v })} />
            <MultiChoiceField name='trainingWanted' label='培训意愿' options={TRAINING_TYPES} value={form.trainingWanted} onChange={(v) => set({ trainingWanted: v })} error={errorOf('trainingWanted')} />
          </View>
        ) : null}

        {current.key === 'review' ? (
          <View className='review'>
            {(Object.keys(LABORER_FIELD_LABELS) as (keyof LaborerData)[])
              .filter((k) => k !== 'householdId')
              .map((k) => (
                <View className={`review-row review-${k}`} key={k}>
                  <Text className='review-row__label'>{k === 'birthDate' && isEdit ? '年龄' : LABORER_FIELD_LABELS[k]}</Text>
                  <Text className='review-row__value'>
                    {k === 'idNumber'
                      ? isEdit
                        ? existing?.idNumberMasked
                        : String(data.idNumber)
                      : k === 'birthDate' && isEdit
                        ? (ageText ?? '—')
                        : displayValue(k, k === 'birthDate' || k === 'sex' ? idHint[k] : data[k])}
                  </Text>
                </View>
              ))}
            {Object.entries({ ...serverErrors, ...errorsByField(allErrors) }).map(([k, msg]) => (
              <Text className='field__error lf-review-error' key={k}>
                {LABORER_FIELD_LABELS[k as keyof LaborerData] ?? k}：{msg}
              </Text>
            ))}
          </View>
        ) : null}
      </View>

      {saveError ? <View className='section__error lf-save-error'>{saveError}</View> : null}
      <View className='btn-row'>
        {step > 0 ? (
          <View className='btn btn--ghost lf-prev' onClick={() => go(step - 1)}>
            上一步
          </View>
        ) : null}
        {current.key === 'review' ? (
          <View className='btn lf-save' onClick={save}>
            保存
          </View>
        ) : (
          <View className='btn lf-next' onClick={next}>
            下一步
          </View>
        )}
      </View>
      <Text className='muted lf-draft-note'>　填写内容会自动保存为草稿，离开后再进入可继续填写</Text>
    </View>
  );
}
