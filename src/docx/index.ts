/** The book as a Word document (.docx): the docx library builds it, package.ts makes it reproducible. */
import { Document } from 'docx';
import type { Compilation } from '../compile/group.js';
import type { BookMetadata } from '../pdf/finish.js';
import { bookSections } from './book.js';
import { newBookState } from './markdown.js';
import { fixPackage, packageParts } from './package.js';
import { docxFonts, docxNumbering, docxStyles, pageGeometry } from './styles.js';

export interface DocxOptions {
  /** Title, publisher, subject, keywords and the fixed date, as the PDF gets them (pdf/metadata.ts's metadataFor). */
  metadata: Pick<BookMetadata, 'title' | 'author' | 'subject' | 'keywords' | 'language' | 'date'>;
  signal?: AbortSignal;
  /** Told as each part starts and when the file is packed, for progress. */
  onStage?: (text: string) => void;
}

export interface DocxResult {
  bytes: Uint8Array;
  /** Images that could not be embedded, with the case file they are in. */
  warnings: { casePath?: string; message: string }[];
}

/** Build the .docx in memory. Same compilation and metadata → the same bytes. */
export async function makeDocx(compilation: Compilation, options: DocxOptions): Promise<DocxResult> {
  const { document, warnings } = await buildDocument(compilation, options);
  options.onStage?.('打包 Word 文档');
  const language = options.metadata.language === 'zh-Hant' ? 'zh-TW' : 'zh-CN';
  return { bytes: fixPackage(await packageParts(document), { date: options.metadata.date, language }), warnings };
}

/** The docx library's Document for the book, before it is packaged (tests package it both ways). */
export async function buildDocument(compilation: Compilation, options: DocxOptions): Promise<{ document: Document; warnings: DocxResult['warnings'] }> {
  const { config } = compilation;
  const geometry = pageGeometry(config.page);
  const fonts = docxFonts(config.fonts);
  const state = newBookState(geometry);
  const sections = await bookSections(compilation, state, { signal: options.signal, onStage: options.onStage });
  options.signal?.throwIfAborted();
  const { metadata } = options;
  const document = new Document({
    title: metadata.title,
    creator: metadata.author ?? '',
    lastModifiedBy: metadata.author ?? '',
    subject: metadata.subject ?? '',
    keywords: metadata.keywords.join('；'),
    description: config.subtitle ?? '',
    revision: 1,
    styles: docxStyles(fonts),
    numbering: docxNumbering([...state.listStarts]),
    footnotes: state.footnotes,
    // The TOC and PAGEREF fields are filled in by Word when it opens the file (it asks first).
    features: { updateFields: true },
    evenAndOddHeaderAndFooters: true,
    sections,
  });
  return { document, warnings: state.warnings };
}
