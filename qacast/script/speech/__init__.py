"""Turn text -> what each sentence sounds like: sentences, numbers and words, the lexicon."""
