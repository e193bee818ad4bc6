import sys, re, html
# Minimal SGR -> HTML for tmux capture-pane -e output.
PAL = ['#1e1e1e','#e06c75','#98c379','#e5c07b','#61afef','#c678dd','#56b6c2','#dcdfe4',
       '#5c6370','#ff7b86','#b5e890','#ffd68a','#82c4ff','#e09cff','#7fd8e0','#ffffff']
def color(n):
    if n < 16: return PAL[n]
    if n < 232:
        n-=16; r,g,b=n//36,(n//6)%6,n%6; f=lambda v: 0 if v==0 else 55+v*40
        return '#%02x%02x%02x'%(f(r),f(g),f(b))
    v=8+(n-232)*10; return '#%02x%02x%02x'%(v,v,v)
def conv(text, bg_default='#1e1e1e', fg_default='#dcdfe4'):
    out=[]; st={}
    def span(s):
        fg=st.get('fg',fg_default); bg=st.get('bg',bg_default)
        if st.get('rev'): fg,bg=bg,fg
        css=f'color:{fg};background:{bg};'
        if st.get('bold'): css+='font-weight:bold;'
        if st.get('dim'): css+='opacity:0.6;'
        if st.get('it'): css+='font-style:italic;'
        if st.get('ul'): css+='text-decoration:underline;'
        return f'<span style="{css}">{html.escape(s)}</span>'
    pos=0
    for m in re.finditer(r'\x1b\[([0-9;:]*)m', text):
        if m.start()>pos: out.append(span(text[pos:m.start()]))
        pos=m.end()
        codes=[int(c) if c else 0 for c in re.split('[;:]',m.group(1))] or [0]
        i=0
        while i<len(codes):
            c=codes[i]
            if c==0: st={}
            elif c==1: st['bold']=1
            elif c==2: st['dim']=1
            elif c==3: st['it']=1
            elif c==4: st['ul']=1
            elif c==7: st['rev']=1
            elif c==22: st.pop('bold',0); st.pop('dim',0)
            elif c==23: st.pop('it',0)
            elif c==24: st.pop('ul',0)
            elif c==27: st.pop('rev',0)
            elif 30<=c<=37: st['fg']=PAL[c-30]
            elif c==39: st.pop('fg',0)
            elif 40<=c<=47: st['bg']=PAL[c-40]
            elif c==49: st.pop('bg',0)
            elif 90<=c<=97: st['fg']=PAL[c-90+8]
            elif 100<=c<=107: st['bg']=PAL[c-100+8]
            elif c in (38,48) and i+2<len(codes) and codes[i+1]==5:
                st['fg' if c==38 else 'bg']=color(codes[i+2]); i+=2
            elif c in (38,48) and i+4<len(codes) and codes[i+1]==2:
                st['fg' if c==38 else 'bg']='#%02x%02x%02x'%tuple(codes[i+2:i+5]); i+=4
            i+=1
    out.append(span(text[pos:]))
    return ''.join(out)
# --light: a light terminal (One Light's colours), to check the screens read on both.
LIGHT = '--light' in sys.argv[1:]
if LIGHT:
    PAL[:] = ['#fafafa','#e45649','#50a14f','#c18401','#4078f2','#a626a4','#0184bc','#383a42',
              '#a0a1a7','#ca1243','#3e8a3c','#986801','#2f5fd0','#8a1f8a','#0a7ea8','#000000']
bg, fg = ('#fafafa', '#383a42') if LIGHT else ('#1e1e1e', '#dcdfe4')
src=sys.stdin.read()
body=conv(src, bg, fg)
print(f'<html><body style="margin:0;background:{bg}"><pre style="margin:8px;font-family:DejaVu Sans Mono,monospace;font-size:15px;line-height:1.2;color:{fg}">{body}</pre></body></html>')
