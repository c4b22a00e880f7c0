# cmake -DINPUT=file -DOUTPUT=file.c -DSYMBOL=name -P EmbedFile.cmake
# Writes `const unsigned char name[]` holding INPUT's bytes (8-byte aligned,
# as the CUDA driver wants fatbins).
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" length)
math(EXPR bytes "${length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n  " body "${body}")
file(WRITE ${OUTPUT}
  "/* Generated from ${INPUT} by EmbedFile.cmake (${bytes} bytes). */\n"
  "const unsigned char ${SYMBOL}[${bytes}] __attribute__((aligned(8))) = {\n"
  "  ${body}\n};\n")
