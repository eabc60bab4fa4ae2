" netc's .net neural-network descriptions
au BufRead,BufNewFile *.net setfiletype netc
