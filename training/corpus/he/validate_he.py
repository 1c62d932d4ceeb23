import json,glob,collections,re,sys,os
AG={'rude','apology','empathy','overpromise','hedged','commitment','next_what','next_when','next_ref'}
CU={'problem','emotion','abuse','resolved'}
REQ=['id','lang','role','context','text','labels','group','source']
ids=set(); err=0; pos=collections.Counter(); roles=collections.Counter(); src=collections.Counter(); neg=collections.Counter(); ctx=0; asr=0; n=0
emo_src=collections.Counter()
for f in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)),'*.jsonl'))):
    for i,l in enumerate(open(f,encoding='utf-8'),1):
        try: o=json.loads(l)
        except Exception as e: print('PARSE',f,i,e); err+=1; continue
        n+=1
        for k in REQ:
            if k not in o: print('MISSING',k,f,i); err+=1
        if o.get('lang')!='he': print('LANG',f,i); err+=1
        if o['id'] in ids: print('DUPID',o['id']); err+=1
        ids.add(o['id'])
        allowed=AG if o['role']=='agent' else CU if o['role']=='customer' else None
        if allowed is None: print('ROLE',f,i); err+=1; continue
        if len(set(o['labels']))!=len(o['labels']): print('DUPLABEL',o['id']); err+=1
        for x in o['labels']:
            if x not in allowed: print('BADLABEL',o['id'],x); err+=1
            pos[x]+=1
        if not o['labels']: neg[o['role']]+=1
        if 'emotion' in o['labels']: emo_src[o['source']]+=1
        if not o['text'].strip(): print('EMPTY',o['id']); err+=1
        roles[o['role']]+=1; src[o['source']]+=1
        if o['context']: ctx+=1
        if not re.search(r'[,.?!:;]',o['text']): asr+=1
print('lines',n,'errors',err)
print('roles',dict(roles)); print('sources',dict(src)); print('negatives (no label)',dict(neg))
print('with context',ctx,'no-punctuation (ASR-like)',asr, f'{asr/n:.0%}')
print('emotion positives by source',dict(emo_src))
print('| label | role | positives |'); print('|---|---|---|')
for x in ['rude','apology','empathy','overpromise','hedged','commitment','next_what','next_when','next_ref']: print(f'| `{x}` | agent | {pos[x]} |')
for x in ['problem','emotion','abuse','resolved']: print(f'| `{x}` | customer | {pos[x]} |')
sys.exit(1 if err else 0)
