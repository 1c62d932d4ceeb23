import json,glob,collections,sys,os
HERE=os.path.dirname(os.path.abspath(__file__))
AG={'rude','apology','empathy','overpromise','hedged','commitment','next_what','next_when','next_ref'}
CU={'problem','emotion','abuse','resolved'}
ids=set();bad=0;pos=collections.Counter();roles=collections.Counter();neg=collections.Counter();src=collections.Counter()
for fn in sorted(glob.glob(os.path.join(HERE,'*.jsonl'))):
    for i,l in enumerate(open(fn),1):
        try: r=json.loads(l)
        except Exception as e: print('PARSE',fn,i,e);bad+=1;continue
        for k in ('id','lang','role','context','text','labels','group','source'):
            if k not in r: print('MISSING',k,fn,i);bad+=1
        allowed=AG if r['role']=='agent' else CU if r['role']=='customer' else None
        if allowed is None or any(x not in allowed for x in r['labels']): print('LABEL',fn,i,r['labels']);bad+=1
        if r['lang']!='en' or not r['text'].strip(): print('FIELD',fn,i);bad+=1
        if r['id'] in ids: print('DUPID',r['id']);bad+=1
        ids.add(r['id']);roles[r['role']]+=1;src[r['source']]+=1
        if not r['labels']: neg[r['role']]+=1
        for x in r['labels']: pos[x]+=1
print('errors',bad,'rows',len(ids),dict(roles),'negatives',dict(neg),dict(src))
print('| label | role | positives |\n|---|---|---|')
for x in ['rude','apology','empathy','overpromise','hedged','commitment','next_what','next_when','next_ref']: print(f'| {x} | agent | {pos[x]} |')
for x in ['problem','emotion','abuse','resolved']: print(f'| {x} | customer | {pos[x]} |')
sys.exit(1 if bad else 0)
